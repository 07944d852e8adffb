import APICore
import GRDB
import Synchronization

extension SQLiteAPIStore: DeviceStore {
    public func deviceDirectory() async throws(APIStoreError) -> [DeviceDirectoryEntry] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.directoryColumns) FROM api_device").map {
                DeviceDirectoryEntry(row: $0, revision: 0)
            }
        }
    }

    public func recordHeartbeat(deviceID: String, uuid: String, at now: Int64) async throws(APIStoreError)
        -> DeviceDirectoryEntry?
    {
        try await write(guarded: false) { db in try Self.recordHeartbeat(db, deviceID: deviceID, uuid: uuid, now: now) }
    }

    public func recordHeartbeat(
        deviceID: String, uuid: String, at now: Int64,
        completion: @escaping @Sendable (Result<DeviceDirectoryEntry?, APIStoreError>) -> Void
    ) {
        write(
            guarded: false, { db in try Self.recordHeartbeat(db, deviceID: deviceID, uuid: uuid, now: now) },
            completion: completion)
    }

    /// Unguarded (no savepoint around it): the usual heartbeat is the one UPDATE; only the first
    /// heartbeat of a device runs more, inside its own savepoint.
    private static func recordHeartbeat(_ db: Database, deviceID: String, uuid: String, now: Int64) throws
        -> DeviceDirectoryEntry?
    {
        let update = try db.cachedStatement(sql: "UPDATE api_device SET last_heartbeat_at = ? WHERE id = ?")
        try update.execute(arguments: [now, deviceID])
        guard db.changesCount == 0 else { return nil }
        var entry: DeviceDirectoryEntry?
        try db.inSavepoint {
            try insertDevice(db, id: deviceID, uuid: uuid, now: now)
            try update.execute(arguments: [now, deviceID])
            entry = try directoryEntry(db, id: deviceID)
            return .commit
        }
        return entry
    }

    public func saveSysinfo(_ record: SysinfoRecord) async throws(APIStoreError) -> SysinfoSaved {
        try await write { db in
            let previous = try Row.fetchOne(
                db, sql: "SELECT sysinfo, group_id FROM api_device WHERE id = ?", arguments: [record.deviceID])
            if previous == nil { try Self.insertDevice(db, id: record.deviceID, uuid: record.uuid, now: record.now) }
            var groupID: Int64? = previous?["group_id"]
            if groupID == nil, let name = record.presetDeviceGroupName {
                groupID = try Self.deviceGroupID(named: name, db, now: record.now)
            }
            let info = record.sysinfo
            try db.execute(
                sql: """
                    UPDATE api_device SET uuid = ?, cpu = ?, memory = ?, os = ?,
                        hostname = COALESCE(hostname_override, ?), username = COALESCE(username_override, ?),
                        version = ?, sysinfo = ?, sysinfo_ver = ?, sysinfo_at = ?, updated_at = ?,
                        owner_id = COALESCE(owner_id, ?), strategy_id = COALESCE(strategy_id, ?),
                        group_id = COALESCE(group_id, ?), note = CASE WHEN note = '' THEN ? ELSE note END
                    WHERE id = ?
                    """,
                arguments: [
                    record.uuid, info.cpu, info.memory, info.os, info.hostname, info.username, info.version, info.raw,
                    record.sysinfoVersion, record.now, record.now, record.presetOwnerID, record.presetStrategyID,
                    groupID, record.presetNote ?? "", record.deviceID,
                ])
            let before: String? = previous?["sysinfo"]
            return SysinfoSaved(entry: try Self.directoryEntry(db, id: record.deviceID), changed: before != info.raw)
        }
    }

    public func setDeviceOwner(deviceID: String, uuid: String, ownerID: User.ID?, now: Int64)
        async throws(APIStoreError) -> DeviceDirectoryEntry
    {
        try await write { db in
            if try !Self.deviceExists(db, id: deviceID) {
                try Self.insertDevice(db, id: deviceID, uuid: uuid, now: now)
            }
            try db.execute(
                sql: "UPDATE api_device SET owner_id = ?, updated_at = ? WHERE id = ?",
                arguments: [ownerID, now, deviceID])
            return try Self.directoryEntry(db, id: deviceID)
        }
    }

    public func setDeviceStrategy(deviceID: String, strategyID: Strategy.ID?, now: Int64)
        async throws(APIStoreError) -> DeviceDirectoryEntry
    {
        try await updateDevice(deviceID, column: "strategy_id", value: strategyID, now: now)
    }

    public func setDeviceGroup(deviceID: String, groupID: DeviceGroup.ID?, now: Int64)
        async throws(APIStoreError) -> DeviceDirectoryEntry
    {
        try await updateDevice(deviceID, column: "group_id", value: groupID, now: now)
    }

    public func device(id: String) async throws(APIStoreError) -> Device? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_device WHERE id = ?", arguments: [id]).map(Device.init(row:))
        }
    }

    private func updateDevice(_ id: String, column: String, value: Int64?, now: Int64) async throws(APIStoreError)
        -> DeviceDirectoryEntry
    {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_device SET \(column) = ?, updated_at = ? WHERE id = ?", arguments: [value, now, id])
            if db.changesCount == 0 { throw APIStoreError.notFound }
            return try Self.directoryEntry(db, id: id)
        }
    }

    static let directoryColumns =
        "id, owner_id, group_id, strategy_id, sysinfo_at IS NOT NULL AS has_sysinfo, username, hostname, os, disabled"

    /// The row's directory entry, read inside the write that changed it and stamped with the next revision
    /// (write bodies run one after another on the writer, so revisions follow commit order).
    static func directoryEntry(_ db: Database, id: String) throws -> DeviceDirectoryEntry {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(directoryColumns) FROM api_device WHERE id = ?", arguments: [id])
        else { throw APIStoreError.notFound }
        return DeviceDirectoryEntry(row: row, revision: DirectoryRevision.next())
    }

    static func deviceExists(_ db: Database, id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM api_device WHERE id = ?)", arguments: [id]) ?? false
    }

    static func insertDevice(_ db: Database, id: String, uuid: String, now: Int64) throws {
        try db.execute(
            sql: "INSERT INTO api_device (id, guid, uuid, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, newGUID(), uuid, now, now])
    }
}

/// Numbers directory updates in the order their writes ran on the single writer (process-wide; the
/// directory loaded at start holds revision 0).
enum DirectoryRevision {
    private static let counter = Atomic<Int64>(0)

    static func next() -> Int64 {
        counter.add(1, ordering: .relaxed).newValue
    }
}

extension DeviceDirectoryEntry {
    init(row: Row, revision: Int64) {
        self.init(
            id: row["id"], ownerID: row["owner_id"], groupID: row["group_id"], strategyID: row["strategy_id"],
            hasSysinfo: row["has_sysinfo"],
            names: PeerNames(username: row["username"], hostname: row["hostname"], os: row["os"]),
            disabled: row["disabled"], revision: revision)
    }
}

extension Device {
    init(row: Row) throws {
        let raw: String? = row["sysinfo"]
        self.init(
            id: row["id"], guid: row["guid"], uuid: row["uuid"], ownerID: row["owner_id"], groupID: row["group_id"],
            strategyID: row["strategy_id"], note: row["note"],
            sysinfo: raw.map {
                DeviceSysinfo(
                    cpu: row["cpu"], memory: row["memory"], os: row["os"], hostname: row["hostname"],
                    username: row["username"], version: row["version"], raw: $0)
            },
            sysinfoVersion: row["sysinfo_ver"], lastHeartbeatAt: row["last_heartbeat_at"],
            disabled: row["disabled"], createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
