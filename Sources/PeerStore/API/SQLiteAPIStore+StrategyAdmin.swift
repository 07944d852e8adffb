import APICore
import GRDB

extension SQLiteAPIStore: StrategyAdminStore {
    public func deviceID(guid: String) async throws(APIStoreError) -> String? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT id FROM api_device WHERE guid = ?", arguments: [guid])
        }
    }

    public func deviceGroup(guid: String) async throws(APIStoreError) -> DeviceGroup? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_device_group WHERE guid = ?", arguments: [guid])
                .map(DeviceGroup.init(row:))
        }
    }
}
