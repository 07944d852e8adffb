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
}
