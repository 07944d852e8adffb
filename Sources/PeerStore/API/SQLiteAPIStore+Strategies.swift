import APICore
import GRDB

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Device groups and strategies. Strategy option maps are JSON objects of strings in TEXT columns.
extension SQLiteAPIStore {
    public func insertDeviceGroup(name: String, note: String, now: Int64) async throws(APIStoreError) -> DeviceGroup {
        let guid = Self.newGUID()
        return try await write { db in
            try db.execute(
                sql: "INSERT INTO api_device_group (guid, name, note, created_at) VALUES (?, ?, ?, ?)",
                arguments: [guid, name, note, now])
            return DeviceGroup(id: db.lastInsertedRowID, guid: guid, name: name, note: note)
        }
    }

    public func deviceGroup(named name: String) async throws(APIStoreError) -> DeviceGroup? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_device_group WHERE name = ?", arguments: [name])
                .map(DeviceGroup.init(row:))
        }
    }

    public func strategyPolicy() async throws(APIStoreError) -> StrategyPolicy {
        try await read { db in try Self.policy(db, revision: 0) }
    }

    public func insertStrategy(
        name: String, options: [String: String], extra: [String: String], enabled: Bool, now: Int64
    ) async throws(APIStoreError) -> (Strategy, StrategyPolicy) {
        let guid = Self.newGUID()
        let optionsText = Self.jsonText(options)
        let extraText = Self.jsonText(extra)
        return try await write { db in
            let stamp = try Self.nextStrategyStamp(db, now: now)
            try db.execute(
                sql: """
                    INSERT INTO api_strategy (guid, name, options, extra, modified_at, enabled, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [guid, name, optionsText, extraText, stamp, enabled, now])
            try Self.rememberKeys(options.keys, db)
            let strategy = Strategy(
                id: db.lastInsertedRowID, guid: guid, name: name, options: options, extra: extra, modifiedAt: stamp,
                enabled: enabled)
            return (strategy, try Self.policy(db, revision: DirectoryRevision.next()))
        }
    }

    public func updateStrategy(
        id: Strategy.ID, options: [String: String]?, extra: [String: String]?, enabled: Bool?, now: Int64
    ) async throws(APIStoreError) -> (Strategy, StrategyPolicy) {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_strategy WHERE id = ?", arguments: [id])
            else { throw APIStoreError.notFound }
            var strategy = Strategy(row: row)
            strategy.options = options ?? strategy.options
            strategy.extra = extra ?? strategy.extra
            strategy.enabled = enabled ?? strategy.enabled
            strategy.modifiedAt = try Self.nextStrategyStamp(db, now: now)
            try db.execute(
                sql: "UPDATE api_strategy SET options = ?, extra = ?, enabled = ?, modified_at = ? WHERE id = ?",
                arguments: [
                    Self.jsonText(strategy.options), Self.jsonText(strategy.extra), strategy.enabled,
                    strategy.modifiedAt, id,
                ])
            try Self.rememberKeys(strategy.options.keys, db)
            return (strategy, try Self.policy(db, revision: DirectoryRevision.next()))
        }
    }

    public func setUserStrategy(userID: User.ID, strategyID: Strategy.ID?) async throws(APIStoreError)
        -> StrategyPolicy
    {
        try await write { db in
            guard
                try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM api_user WHERE id = ?)", arguments: [userID])
                    ?? false
            else { throw APIStoreError.notFound }
            if let strategyID {
                try Self.requireStrategy(db, id: strategyID)
                try db.execute(
                    sql: "INSERT OR REPLACE INTO api_user_strategy (user_id, strategy_id) VALUES (?, ?)",
                    arguments: [userID, strategyID])
            } else {
                try db.execute(sql: "DELETE FROM api_user_strategy WHERE user_id = ?", arguments: [userID])
            }
            return try Self.policy(db, revision: DirectoryRevision.next())
        }
    }

    public func setDeviceGroupStrategy(groupID: DeviceGroup.ID, strategyID: Strategy.ID?) async throws(APIStoreError)
        -> StrategyPolicy
    {
        try await write { db in
            if let strategyID { try Self.requireStrategy(db, id: strategyID) }
            try db.execute(
                sql: "UPDATE api_device_group SET strategy_id = ? WHERE id = ?", arguments: [strategyID, groupID])
            if db.changesCount == 0 { throw APIStoreError.notFound }
            return try Self.policy(db, revision: DirectoryRevision.next())
        }
    }

    /// Every strategy and assignment (small tables), read in the caller's transaction.
    static func policy(_ db: Database, revision: Int64) throws -> StrategyPolicy {
        var strategies: [Strategy.ID: Strategy] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM api_strategy") {
            let strategy = Strategy(row: row)
            strategies[strategy.id] = strategy
        }
        var users: [User.ID: Strategy.ID] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT user_id, strategy_id FROM api_user_strategy") {
            users[row["user_id"]] = row["strategy_id"]
        }
        var groups: [DeviceGroup.ID: Strategy.ID] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT id, strategy_id FROM api_device_group WHERE strategy_id IS NOT NULL")
        {
            groups[row["id"]] = row["strategy_id"]
        }
        let keys = try String.fetchAll(db, sql: "SELECT key FROM api_strategy_key")
        return StrategyPolicy(
            strategies: strategies, userStrategies: users, groupStrategies: groups, retiredKeys: Set(keys),
            revision: revision)
    }

    /// Adds option keys to those the server has ever managed.
    static func rememberKeys(_ keys: some Sequence<String>, _ db: Database) throws {
        for key in keys {
            try db.execute(sql: "INSERT OR IGNORE INTO api_strategy_key (key) VALUES (?)", arguments: [key])
        }
    }

    /// A stamp above every strategy's current one and at least `now`, so no two strategies (or two
    /// versions of one) share a stamp and the client, which compares stamps, never misses a change.
    static func nextStrategyStamp(_ db: Database, now: Int64) throws -> Int64 {
        let highest = try Int64.fetchOne(db, sql: "SELECT MAX(modified_at) FROM api_strategy") ?? 0
        return max(now, highest + 1)
    }

    static func requireStrategy(_ db: Database, id: Strategy.ID) throws {
        guard
            try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM api_strategy WHERE id = ?)", arguments: [id])
                ?? false
        else { throw APIStoreError.notFound }
    }

    /// The id of the device group `name`, created if missing (the `preset-device-group-name` option).
    static func deviceGroupID(named name: String, _ db: Database, now: Int64) throws -> DeviceGroup.ID {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM api_device_group WHERE name = ?", arguments: [name]) {
            return id
        }
        try db.execute(
            sql: "INSERT INTO api_device_group (guid, name, created_at) VALUES (?, ?, ?)",
            arguments: [newGUID(), name, now])
        return db.lastInsertedRowID
    }

    static func jsonText(_ map: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(map) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A stored option map; anything unreadable counts as empty rather than failing every heartbeat.
    static func stringMap(_ text: String?) -> [String: String] {
        guard let text, let map = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else {
            return [:]
        }
        return map
    }
}

extension DeviceGroup {
    init(row: Row) {
        self.init(
            id: row["id"], guid: row["guid"], name: row["name"], note: row["note"], strategyID: row["strategy_id"])
    }
}

extension Strategy {
    init(row: Row) {
        self.init(
            id: row["id"], guid: row["guid"], name: row["name"],
            options: SQLiteAPIStore.stringMap(row["options"]), extra: SQLiteAPIStore.stringMap(row["extra"]),
            modifiedAt: row["modified_at"], enabled: row["enabled"])
    }
}
