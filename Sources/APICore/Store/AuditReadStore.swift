/// The device audit log as audits.py reads it (admin-api.md §2): pages of connection, file and
/// alarm records, newest first.
public protocol AuditReadStore: Sendable {
    func connectionAudits(matching query: AuditQuery, page: PageRequest) async throws(APIStoreError)
        -> Page<ConnectionAudit>
    func fileAudits(matching query: AuditQuery, page: PageRequest) async throws(APIStoreError) -> Page<FileAudit>
    func alarmAudits(matching query: AuditQuery, page: PageRequest) async throws(APIStoreError) -> Page<AlarmAudit>
}

/// audits.py's filters: `remote` (the controlling peer's ID), `device` (the controlled device's
/// ID), `conn_type` (connections only) and `created_at` (records from then on).
public struct AuditQuery: Sendable, Equatable {
    public var remote: LikeFilter?
    public var device: LikeFilter?
    public var connType: Int64?
    public var since: Int64?

    public init(remote: LikeFilter? = nil, device: LikeFilter? = nil, connType: Int64? = nil, since: Int64? = nil) {
        self.remote = remote
        self.device = device
        self.connType = connType
        self.since = since
    }
}
