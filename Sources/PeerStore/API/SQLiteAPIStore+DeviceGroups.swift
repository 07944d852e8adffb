import APICore
import GRDB

extension SQLiteAPIStore: DeviceGroupAdminStore {
    public func deviceGroups(named filter: LikeFilter?, page: PageRequest) async throws(APIStoreError)
        -> Page<DeviceGroupListing>
    {
        var conditions = ["1"]
        var arguments = StatementArguments()
        Self.add(filter, column: "name", to: &conditions, &arguments)
        let from = "FROM api_device_group WHERE \(conditions.joined(separator: " AND "))"
        let page = try await fetchPage(
            count: "SELECT COUNT(*) \(from)", rows: "SELECT * \(from) ORDER BY name", arguments: arguments, page: page
        ) { row in (DeviceGroup(row: row), row["created_at"] as Int64) }
        var listings: [DeviceGroupListing] = []
        for (group, createdAt) in page.items {
            let rules = try await read { db in try Self.accessRules(of: .deviceGroup, id: group.id, db) }
            listings.append(DeviceGroupListing(group: group, incoming: rules.incoming, createdAt: createdAt))
        }
        return Page(total: page.total, items: listings)
    }

    public func deviceGroupListing(guid: String) async throws(APIStoreError) -> DeviceGroupListing? {
        try await read { db in try Self.deviceGroupListing(guid: guid, db) }
    }

    public func insertDeviceGroup(name: String, note: String, incoming: [AccessRule], now: Int64)
        async throws(APIStoreError) -> DeviceGroupListing
    {
        let guid = Self.newGUID()
        return try await write { db in
            try db.execute(
                sql: "INSERT INTO api_device_group (guid, name, note, created_at) VALUES (?, ?, ?, ?)",
                arguments: [guid, name, note, now])
            try Self.replaceAccessRules(
                of: .deviceGroup, id: db.lastInsertedRowID, direction: "in", with: incoming, db)
            guard let listing = try Self.deviceGroupListing(guid: guid, db) else { throw APIStoreError.notFound }
            return listing
        }
    }

    public func updateDeviceGroup(guid: String, name: String?, note: String?, incoming: [AccessRule]?)
        async throws(APIStoreError) -> DeviceGroupListing
    {
        try await write { db in
            guard
                let id = try Int64.fetchOne(
                    db, sql: "SELECT id FROM api_device_group WHERE guid = ?", arguments: [guid])
            else { throw APIStoreError.notFound }
            if let name {
                try db.execute(sql: "UPDATE api_device_group SET name = ? WHERE id = ?", arguments: [name, id])
            }
            if let note {
                try db.execute(sql: "UPDATE api_device_group SET note = ? WHERE id = ?", arguments: [note, id])
            }
            if let incoming {
                try Self.replaceAccessRules(of: .deviceGroup, id: id, direction: "in", with: incoming, db)
            }
            guard let listing = try Self.deviceGroupListing(guid: guid, db) else { throw APIStoreError.notFound }
            return listing
        }
    }

    public func deviceIDs(inDeviceGroup id: DeviceGroup.ID) async throws(APIStoreError) -> [String] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT id FROM api_device WHERE group_id = ? ORDER BY id", arguments: [id])
        }
    }

    public func deleteDeviceGroup(id: DeviceGroup.ID) async throws(APIStoreError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM api_device_group WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw APIStoreError.notFound }
        }
    }

    private static func deviceGroupListing(guid: String, _ db: Database) throws -> DeviceGroupListing? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_device_group WHERE guid = ?", arguments: [guid])
        else { return nil }
        let group = DeviceGroup(row: row)
        let rules = try accessRules(of: .deviceGroup, id: group.id, db)
        return DeviceGroupListing(group: group, incoming: rules.incoming, createdAt: row["created_at"])
    }
}
