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
            let rules = try await read { db in try Self.accessRules(of: .userGroup, id: group.id, db) }
            listings.append(UserGroupListing(group: group, rules: rules, createdAt: createdAt))
        }
        return Page(total: page.total, items: listings)
    }

    public func userGroup(guid: String) async throws(APIStoreError) -> UserGroupListing? {
        try await read { db in try Self.userGroupListing(guid: guid, db) }
    }

    public func insertUserGroup(name: String, note: String, rules: AccessRules, now: Int64)
        async throws(APIStoreError) -> UserGroupListing
    {
        let guid = Self.newGUID()
        return try await write { db in
            try db.execute(
                sql: "INSERT INTO api_user_group (guid, name, note, created_at) VALUES (?, ?, ?, ?)",
                arguments: [guid, name, note, now])
            let id = db.lastInsertedRowID
            try Self.replaceAccessRules(of: .userGroup, id: id, direction: "in", with: rules.incoming, db)
            try Self.replaceAccessRules(of: .userGroup, id: id, direction: "out", with: rules.outgoing, db)
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
                try Self.replaceAccessRules(of: .userGroup, id: id, direction: "in", with: incoming, db)
            }
            if let outgoing = change.outgoing {
                try Self.replaceAccessRules(of: .userGroup, id: id, direction: "out", with: outgoing, db)
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

    private static func userGroupListing(guid: String, _ db: Database) throws -> UserGroupListing? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_user_group WHERE guid = ?", arguments: [guid])
        else { return nil }
        let group = try UserGroup(row: row)
        return UserGroupListing(
            group: group, rules: try accessRules(of: .userGroup, id: group.id, db), createdAt: row["created_at"])
    }
}
