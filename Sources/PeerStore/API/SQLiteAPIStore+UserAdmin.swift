import APICore
import GRDB

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
