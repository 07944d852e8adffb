import APICore
import GRDB

extension SQLiteAPIStore: DeviceAdminStore {
    public func devices(matching filter: DeviceFilter, page: PageRequest) async throws(APIStoreError)
        -> Page<AdminDeviceListing>
    {
        var conditions = ["1"]
        var arguments = StatementArguments()
        Self.add(filter.id, column: "d.id", to: &conditions, &arguments)
        Self.add(filter.deviceName, column: "d.hostname", to: &conditions, &arguments)
        Self.add(filter.deviceUsername, column: "d.username", to: &conditions, &arguments)
        Self.add(filter.userName, column: "u.name", to: &conditions, &arguments)
        Self.add(filter.groupName, column: "ug.name", to: &conditions, &arguments)
        Self.add(filter.deviceGroupName, column: "dg.name", to: &conditions, &arguments)
        let from = """
            FROM api_device d
            LEFT JOIN api_user u ON u.id = d.owner_id
            LEFT JOIN api_user_group ug ON ug.id = u.group_id
            LEFT JOIN api_device_group dg ON dg.id = d.group_id
            LEFT JOIN api_strategy s ON s.id = d.strategy_id
            WHERE \(conditions.joined(separator: " AND "))
            """
        let columns = """
            d.*, COALESCE(u.name, '') AS owner_name, COALESCE(ug.name, '') AS user_group_name,
            COALESCE(dg.name, '') AS device_group_name, COALESCE(s.name, '') AS strategy_name
            """
        return try await fetchPage(
            count: "SELECT COUNT(*) \(from)", rows: "SELECT \(columns) \(from) ORDER BY d.id", arguments: arguments,
            page: page
        ) { row in
            AdminDeviceListing(
                device: try Device(row: row), ownerName: row["owner_name"], userGroupName: row["user_group_name"],
                deviceGroupName: row["device_group_name"], strategyName: row["strategy_name"])
        }
    }

    public func device(guid: String) async throws(APIStoreError) -> Device? {
        try await read { db in try Self.device(guid: guid, db) }
    }

    public func setDisabled(_ disabled: Bool, deviceGUID: String, now: Int64) async throws(APIStoreError)
        -> DeviceDirectoryEntry
    {
        try await write { db in
            guard let device = try Self.device(guid: deviceGUID, db) else { throw APIStoreError.notFound }
            try db.execute(
                sql: "UPDATE api_device SET disabled = ?, updated_at = ? WHERE id = ?",
                arguments: [disabled, now, device.id])
            return try Self.directoryEntry(db, id: device.id)
        }
    }

    public func deleteDisabledDevice(guid: String) async throws(APIStoreError) -> Device {
        try await write { db in
            guard let device = try Self.device(guid: guid, db) else { throw APIStoreError.notFound }
            guard device.disabled else { throw APIStoreError.conflict }
            try db.execute(sql: "DELETE FROM api_device WHERE guid = ?", arguments: [guid])
            return device
        }
    }

    public func setNames(deviceID: String, hostname: String?, username: String?, now: Int64)
        async throws(APIStoreError) -> DeviceDirectoryEntry
    {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE api_device SET
                        hostname_override = COALESCE(?1, hostname_override), hostname = COALESCE(?1, hostname),
                        username_override = COALESCE(?2, username_override), username = COALESCE(?2, username),
                        updated_at = ?3
                    WHERE id = ?4
                    """,
                arguments: [hostname, username, now, deviceID])
            if db.changesCount == 0 { throw APIStoreError.notFound }
            return try Self.directoryEntry(db, id: deviceID)
        }
    }

    public func ensureDevice(id: String, uuid: String, now: Int64) async throws(APIStoreError)
        -> DeviceDirectoryEntry
    {
        try await write { db in
            if try !Self.deviceExists(db, id: id) { try Self.insertDevice(db, id: id, uuid: uuid, now: now) }
            return try Self.directoryEntry(db, id: id)
        }
    }

    public func setNote(deviceID: String, note: String, now: Int64) async throws(APIStoreError) {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_device SET note = ?, updated_at = ? WHERE id = ?", arguments: [note, now, deviceID])
            if db.changesCount == 0 { throw APIStoreError.notFound }
        }
    }

    private static func device(guid: String, _ db: Database) throws -> Device? {
        try Row.fetchOne(db, sql: "SELECT * FROM api_device WHERE guid = ?", arguments: [guid]).map(Device.init(row:))
    }
}
