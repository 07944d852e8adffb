/// Where the console audit lives (`api_audit_console`): one record per administrative change.
public protocol ConsoleAuditStore: Sendable {
    func insertConsoleRecord(_ record: ConsoleRecord) async throws(APIStoreError)
    /// Newest first.
    func consoleRecords(matching filter: ConsoleAuditFilter, page: PageRequest) async throws(APIStoreError)
        -> Page<ConsoleRecord>
}

/// audits.py `view-console`'s filters.
public struct ConsoleAuditFilter: Sendable, Equatable {
    public var operatorName: LikeFilter?
    /// Records at or after this Unix time.
    public var since: Int64?

    public init(operatorName: LikeFilter? = nil, since: Int64? = nil) {
        self.operatorName = operatorName
        self.since = since
    }
}
