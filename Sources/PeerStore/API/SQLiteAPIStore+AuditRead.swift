import APICore
import GRDB

extension SQLiteAPIStore: AuditReadStore {
    public func connectionAudits(matching query: AuditQuery, page: PageRequest) async throws(APIStoreError)
        -> Page<ConnectionAudit>
    {
        try await auditPage("api_audit_conn", query, remoteColumn: "peer_id", page: page, ConnectionAudit.init(row:))
    }

    public func fileAudits(matching query: AuditQuery, page: PageRequest) async throws(APIStoreError)
        -> Page<FileAudit>
    {
        try await auditPage("api_audit_file", query, remoteColumn: "peer_id", page: page, FileAudit.init(row:))
    }

    public func alarmAudits(matching query: AuditQuery, page: PageRequest) async throws(APIStoreError)
        -> Page<AlarmAudit>
    {
        // Alarms have no remote peer: a `remote` filter matches none.
        try await auditPage("api_audit_alarm", query, remoteColumn: nil, page: page, AlarmAudit.init(row:))
    }

    private func auditPage<Item: Sendable>(
        _ table: String, _ query: AuditQuery, remoteColumn: String?, page: PageRequest,
        _ item: @escaping @Sendable (Row) throws -> Item
    ) async throws(APIStoreError) -> Page<Item> {
        var conditions = ["1"]
        var arguments = StatementArguments()
        if let remoteColumn {
            Self.add(query.remote, column: remoteColumn, to: &conditions, &arguments)
        } else if query.remote != nil {
            conditions.append("0")
        }
        Self.add(query.device, column: "device_id", to: &conditions, &arguments)
        if let connType = query.connType, table == "api_audit_conn" {
            conditions.append("conn_type = ?")
            _ = arguments.append(contentsOf: [connType])
        }
        if let since = query.since {
            conditions.append("created_at >= ?")
            _ = arguments.append(contentsOf: [since])
        }
        let from = "FROM \(table) WHERE \(conditions.joined(separator: " AND "))"
        return try await fetchPage(
            count: "SELECT COUNT(*) \(from)", rows: "SELECT * \(from) ORDER BY id DESC", arguments: arguments,
            page: page,
            item)
    }
}
