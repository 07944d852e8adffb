import APICore
import GRDB

/// The group tab's paged reads (http-api.md §5): count and page in one read transaction, so `total`
/// and `data` agree. Visibility is a WHERE clause built from `GroupTabScope`, never from client text.
extension SQLiteAPIStore {
    public func users(visibleTo scope: GroupTabScope, status: UserStatus?, page: PageRequest)
        async throws(APIStoreError) -> Page<User>
    {
        var (filter, arguments) = Self.visibleUsers(scope, column: "id")
        if let status {
            filter += " AND status = ?"
            _ = arguments.append(contentsOf: [status.rawValue])
        }
        let from = "FROM api_user WHERE \(filter)"
        return try await fetchPage(
            count: "SELECT COUNT(*) \(from)", rows: "SELECT * \(from) ORDER BY name", arguments: arguments, page: page
        ) { try User(row: $0) }
    }

    public func devices(visibleTo scope: GroupTabScope, page: PageRequest) async throws(APIStoreError)
        -> Page<DeviceListing>
    {
        let (filter, arguments) = Self.visibleDevices(scope)
        let rows = """
            SELECT d.id, d.username, d.os, d.hostname, d.note, COALESCE(u.name, '') AS owner_name,
                COALESCE(g.name, '') AS group_name
            FROM api_device d
            LEFT JOIN api_user u ON u.id = d.owner_id
            LEFT JOIN api_device_group g ON g.id = d.group_id
            WHERE \(filter) ORDER BY d.id
            """
        return try await fetchPage(
            count: "SELECT COUNT(*) FROM api_device d WHERE \(filter)", rows: rows, arguments: arguments, page: page
        ) { row in
            DeviceListing(
                id: row["id"], username: row["username"], os: row["os"], hostname: row["hostname"],
                ownerName: row["owner_name"], deviceGroupName: row["group_name"], note: row["note"])
        }
    }

    public func deviceGroupNames(visibleTo scope: GroupTabScope, page: PageRequest) async throws(APIStoreError)
        -> Page<String>
    {
        let names: String
        let arguments: StatementArguments
        switch scope {
        case .everything:
            names = "SELECT name FROM api_device_group"
            arguments = []
        case .userGroup:
            let (filter, deviceArguments) = Self.visibleDevices(scope)
            names = """
                SELECT DISTINCT g.name AS name FROM api_device_group g JOIN api_device d ON d.group_id = g.id
                WHERE \(filter)
                """
            arguments = deviceArguments
        }
        return try await fetchPage(
            count: "SELECT COUNT(*) FROM (\(names))", rows: "\(names) ORDER BY name", arguments: arguments, page: page
        ) { $0["name"] }
    }

    /// Users `scope` may see: themself and their user group's members (administrators: everyone).
    private static func visibleUsers(_ scope: GroupTabScope, column: String) -> (String, StatementArguments) {
        switch scope {
        case .everything: ("1", [])
        case .userGroup(let userID, nil): ("\(column) = ?", [userID])
        case .userGroup(let userID, let groupID?):
            ("(\(column) = ? OR \(column) IN (SELECT id FROM api_user WHERE group_id = ?))", [userID, groupID])
        }
    }

    /// Devices (alias `d`) `scope` may see: those owned by visible users (administrators: all, unowned too).
    private static func visibleDevices(_ scope: GroupTabScope) -> (String, StatementArguments) {
        switch scope {
        case .everything: ("1", [])
        case .userGroup: visibleUsers(scope, column: "d.owner_id")
        }
    }

    func fetchPage<Item: Sendable>(
        count: String, rows: String, arguments: StatementArguments, page: PageRequest,
        _ item: @escaping @Sendable (Row) throws -> Item
    ) async throws(APIStoreError) -> Page<Item> {
        try await read { db in
            let total = try Int.fetchOne(db, sql: count, arguments: arguments) ?? 0
            var pageArguments = arguments
            _ = pageArguments.append(contentsOf: [page.size, page.offset])
            let items = try Row.fetchAll(db, sql: "\(rows) LIMIT ? OFFSET ?", arguments: pageArguments).map(item)
            return Page(total: total, items: items)
        }
    }
}
