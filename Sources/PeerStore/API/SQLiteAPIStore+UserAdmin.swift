import APICore
import GRDB

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension SQLiteAPIStore: UserAdminStore {
    public func users(matching filter: UserFilter, page: PageRequest) async throws(APIStoreError) -> Page<UserListing> {
        var conditions = ["1"]
        var arguments = StatementArguments()
        Self.add(filter.name, column: "u.name", to: &conditions, &arguments)
        Self.add(filter.groupName, column: "g.name", to: &conditions, &arguments)
        if let status = filter.status {
            conditions.append("u.status = ?")
            _ = arguments.append(contentsOf: [status.rawValue])
        }
        let from = """
            FROM api_user u LEFT JOIN api_user_group g ON g.id = u.group_id
            WHERE \(conditions.joined(separator: " AND "))
            """
        return try await fetchPage(
            count: "SELECT COUNT(*) \(from)",
            rows: "SELECT u.*, COALESCE(g.name, '') AS group_name \(from) ORDER BY u.name",
            arguments: arguments, page: page
        ) { row in UserListing(user: try User(row: row), groupName: row["group_name"]) }
    }

    public func user(guid: String) async throws(APIStoreError) -> User? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_user WHERE guid = ?", arguments: [guid]).map(User.init(row:))
        }
    }

    public func setStatus(userGUID: String, _ status: UserStatus, now: Int64) async throws(APIStoreError) {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_user SET status = ?, updated_at = ? WHERE guid = ?",
                arguments: [status.rawValue, now, userGUID])
            if db.changesCount == 0 { throw APIStoreError.notFound }
        }
    }

    public func deleteUser(guid: String) async throws(APIStoreError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM api_user WHERE guid = ?", arguments: [guid])
            if db.changesCount == 0 { throw APIStoreError.notFound }
        }
    }

    public func otherEnabledAdministrators(than guid: String) async throws(APIStoreError) -> Int {
        try await read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM api_user WHERE is_admin = 1 AND status = 1 AND guid <> ?",
                arguments: [guid]) ?? 0
        }
    }

    public func deleteSessions(userGUIDs: [String]) async throws(APIStoreError) -> Int {
        try await writeForUsers(
            userGUIDs, "DELETE FROM api_session WHERE user_id IN (SELECT id FROM api_user WHERE guid IN (%@))")
    }

    public func removeSecondFactors(userGUIDs: [String], now: Int64) async throws(APIStoreError) -> Int {
        try await writeForUsers(
            userGUIDs,
            """
            UPDATE api_user SET totp_secret = NULL, totp_last_step = 0, updated_at = \(now)
            WHERE totp_secret IS NOT NULL AND guid IN (%@)
            """)
    }

    public func markVerified(userGUIDs: [String], now: Int64) async throws(APIStoreError) -> Int {
        try await writeForUsers(
            userGUIDs,
            """
            UPDATE api_user SET status = \(UserStatus.normal.rawValue), updated_at = \(now)
            WHERE status = \(UserStatus.unverified.rawValue) AND guid IN (%@)
            """)
    }

    /// Runs `sql` with `%@` replaced by one placeholder per guid (the guids bound); returns the rows changed.
    private func writeForUsers(_ guids: [String], _ sql: String) async throws(APIStoreError) -> Int {
        guard !guids.isEmpty else { return 0 }
        let statement = sql.replacingOccurrences(
            of: "%@", with: Array(repeating: "?", count: guids.count).joined(separator: ","))
        return try await write { db in
            try db.execute(sql: statement, arguments: StatementArguments(guids))
            return db.changesCount
        }
    }

    /// `column LIKE ?` with the filter's escaped pattern bound, or "empty or unassigned" for `-`.
    static func add(
        _ filter: LikeFilter?, column: String, to conditions: inout [String], _ arguments: inout StatementArguments
    ) {
        switch filter {
        case nil: break
        case .unassigned: conditions.append("COALESCE(\(column), '') = ''")
        case .pattern(let pattern):
            conditions.append("\(column) LIKE ? ESCAPE '\\'")
            _ = arguments.append(contentsOf: [pattern])
        }
    }
}
