import APICore
import GRDB

extension SQLiteAPIStore: UserGroupAdminStore {
    public func userGroups(named filter: LikeFilter?, page: PageRequest) async throws(APIStoreError)
        -> Page<UserGroupListing>
    {
        var conditions = ["1"]
        var arguments = StatementArguments()
        Self.add(filter, column: "name", to: &conditions, &arguments)
        let from = "FROM api_user_group WHERE \(conditions.joined(separator: " AND "))"
        let page = try await fetchPage(
            count: "SELECT COUNT(*) \(from)", rows: "SELECT * \(from) ORDER BY name", arguments: arguments, page: page
        ) { row in (try UserGroup(row: row), row["created_at"] as Int64) }
        var listings: [UserGroupListing] = []
        for (group, createdAt) in page.items {
            let rules = try await read { db in try Self.rules(ofGroup: group.id, db) }
            listings.append(UserGroupListing(group: group, rules: rules, createdAt: createdAt))
        }
        return Page(total: page.total, items: listings)
    }

    public func userGroup(guid: String) async throws(APIStoreError) -> UserGroupListing? {
        try await read { db in try Self.userGroupListing(guid: guid, db) }
    }

    public func insertUserGroup(name: String, note: String, rules: UserGroupRules, now: Int64)
        async throws(APIStoreError) -> UserGroupListing
    {
        let guid = Self.newGUID()
        return try await write { db in
            try db.execute(
                sql: "INSERT INTO api_user_group (guid, name, note, created_at) VALUES (?, ?, ?, ?)",
                arguments: [guid, name, note, now])
            let id = db.lastInsertedRowID
            try Self.replaceRules(ofGroup: id, direction: "in", with: rules.incoming, db)
            try Self.replaceRules(ofGroup: id, direction: "out", with: rules.outgoing, db)
            guard let listing = try Self.userGroupListing(guid: guid, db) else { throw APIStoreError.notFound }
            return listing
        }
    }

    public func updateUserGroup(guid: String, _ change: UserGroupChange) async throws(APIStoreError)
        -> UserGroupListing
    {
        try await write { db in
            guard
                let id = try Int64.fetchOne(db, sql: "SELECT id FROM api_user_group WHERE guid = ?", arguments: [guid])
            else { throw APIStoreError.notFound }
            if let name = change.name {
                try db.execute(sql: "UPDATE api_user_group SET name = ? WHERE id = ?", arguments: [name, id])
            }
            if let note = change.note {
                try db.execute(sql: "UPDATE api_user_group SET note = ? WHERE id = ?", arguments: [note, id])
            }
            if let incoming = change.incoming {
                try Self.replaceRules(ofGroup: id, direction: "in", with: incoming, db)
            }
            if let outgoing = change.outgoing {
                try Self.replaceRules(ofGroup: id, direction: "out", with: outgoing, db)
            }
            guard let listing = try Self.userGroupListing(guid: guid, db) else { throw APIStoreError.notFound }
            return listing
        }
    }

    public func deleteUserGroup(guid: String) async throws(APIStoreError) {
        try await write { db in
            guard
                let id = try Int64.fetchOne(db, sql: "SELECT id FROM api_user_group WHERE guid = ?", arguments: [guid])
            else { throw APIStoreError.notFound }
            let defaultID = try Self.userGroupID(named: APIMigrations.defaultName, db, now: 0)
            try db.execute(sql: "UPDATE api_user SET group_id = ? WHERE group_id = ?", arguments: [defaultID, id])
            try db.execute(sql: "DELETE FROM api_user_group WHERE id = ?", arguments: [id])
        }
    }

    public func addUsers(_ userGUIDs: [String], toUserGroup guid: String) async throws(APIStoreError) -> Int {
        try await write { db in
            guard
                let id = try Int64.fetchOne(db, sql: "SELECT id FROM api_user_group WHERE guid = ?", arguments: [guid])
            else { throw APIStoreError.notFound }
            var moved = 0
            for userGUID in userGUIDs {
                try db.execute(
                    sql: "UPDATE api_user SET group_id = ? WHERE guid = ? AND group_id IS NOT ?",
                    arguments: [id, userGUID, id])
                moved += db.changesCount
            }
            return moved
        }
    }

    // MARK: Rules

    private static let targetTables: [AccessRule.Kind: String] = [
        .userGroup: "api_user_group", .deviceGroup: "api_device_group", .user: "api_user",
    ]

    private static func userGroupListing(guid: String, _ db: Database) throws -> UserGroupListing? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_user_group WHERE guid = ?", arguments: [guid])
        else { return nil }
        let group = try UserGroup(row: row)
        return UserGroupListing(group: group, rules: try rules(ofGroup: group.id, db), createdAt: row["created_at"])
    }

    private static func rules(ofGroup id: Int64, _ db: Database) throws -> UserGroupRules {
        var rules = UserGroupRules()
        for kind in AccessRule.Kind.allCases {
            guard let table = targetTables[kind] else { continue }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.direction, t.name FROM api_user_group_rule r JOIN \(table) t ON t.id = r.target_id
                    WHERE r.group_id = ? AND r.kind = ? ORDER BY t.name
                    """,
                arguments: [id, kind.rawValue])
            for row in rows {
                let rule = AccessRule(kind: kind, name: row["name"])
                if row["direction"] as String == "in" {
                    rules.incoming.append(rule)
                } else {
                    rules.outgoing.append(rule)
                }
            }
        }
        return rules
    }

    /// `.notFound` (undoing the transaction) when a rule names nothing.
    private static func replaceRules(ofGroup id: Int64, direction: String, with rules: [AccessRule], _ db: Database)
        throws
    {
        try db.execute(
            sql: "DELETE FROM api_user_group_rule WHERE group_id = ? AND direction = ?", arguments: [id, direction])
        for rule in rules {
            guard let table = targetTables[rule.kind],
                let target = try Int64.fetchOne(
                    db, sql: "SELECT id FROM \(table) WHERE name = ?", arguments: [rule.name])
            else { throw APIStoreError.notFound }
            try db.execute(
                sql:
                    "INSERT OR IGNORE INTO api_user_group_rule (group_id, direction, kind, target_id) VALUES (?, ?, ?, ?)",
                arguments: [id, direction, rule.kind.rawValue, target])
        }
    }
}
