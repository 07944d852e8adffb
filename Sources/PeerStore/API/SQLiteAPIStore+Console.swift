import APICore
import GRDB

extension SQLiteAPIStore: ConsoleAuditStore {
    public func insertConsoleRecord(_ record: ConsoleRecord) async throws(APIStoreError) {
        let guid = record.guid.isEmpty ? Self.newGUID() : record.guid
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO api_audit_console
                        (guid, typ, iop, operator, operator_kind, credential, ip, info, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    guid, record.typ, record.iop, record.operatorName, record.operatorKind,
                    record.credential, record.ip, record.info, record.createdAt,
                ])
        }
    }

    public func consoleRecords(matching filter: ConsoleAuditFilter, page: PageRequest) async throws(APIStoreError)
        -> Page<ConsoleRecord>
    {
        var conditions = ["1"]
        var arguments = StatementArguments()
        Self.add(filter.operatorName, column: "operator", to: &conditions, &arguments)
        if let since = filter.since {
            conditions.append("created_at >= ?")
            _ = arguments.append(contentsOf: [since])
        }
        let from = "FROM api_audit_console WHERE \(conditions.joined(separator: " AND "))"
        return try await fetchPage(
            count: "SELECT COUNT(*) \(from)", rows: "SELECT * \(from) ORDER BY id DESC", arguments: arguments,
            page: page
        ) { row in
            ConsoleRecord(
                guid: row["guid"], typ: row["typ"], iop: row["iop"], operatorName: row["operator"],
                operatorKind: row["operator_kind"],
                credential: row["credential"], ip: row["ip"], info: row["info"], createdAt: row["created_at"])
        }
    }
}
