/// One connection to a device as the audit log keeps it: a single row that the `new`, `authorized`
/// and `close` records fill in as they arrive, identified to the controller by `guid` (the value
/// `GET /api/audit/conn/active` returns and `PUT /api/audit` annotates).
public struct ConnectionAudit: Sendable, Equatable {
    public var id: Int64
    public var guid: String
    public var deviceID: String
    public var connID: Int64
    /// The controller's u64 session id (0 until the `authorized` or `close` record brings it).
    public var sessionID: UInt64
    /// The controller's address as the device saw it.
    public var ip: String
    public var connAuditRef: String
    /// The controller's ID and name; empty until authorized.
    public var peerID: String
    public var peerName: String
    public var connType: Int64?
    public var primaryAuth: Int64?
    public var twoFactor: Int64?
    public var note: String
    /// Who wrote `note` through `PUT /api/audit`; empty for the controller's in-session note.
    public var noteBy: String
    /// Unix seconds: when the row was created, and when each record arrived (nil until it did).
    public var createdAt: Int64
    public var openedAt: Int64?
    public var authorizedAt: Int64?
    public var closedAt: Int64?

    public init(
        id: Int64, guid: String, deviceID: String, connID: Int64, sessionID: UInt64, ip: String = "",
        connAuditRef: String = "", peerID: String = "", peerName: String = "", connType: Int64? = nil,
        primaryAuth: Int64? = nil, twoFactor: Int64? = nil, note: String = "", noteBy: String = "",
        createdAt: Int64, openedAt: Int64? = nil, authorizedAt: Int64? = nil, closedAt: Int64? = nil
    ) {
        self.id = id
        self.guid = guid
        self.deviceID = deviceID
        self.connID = connID
        self.sessionID = sessionID
        self.ip = ip
        self.connAuditRef = connAuditRef
        self.peerID = peerID
        self.peerName = peerName
        self.connType = connType
        self.primaryAuth = primaryAuth
        self.twoFactor = twoFactor
        self.note = note
        self.noteBy = noteBy
        self.createdAt = createdAt
        self.openedAt = openedAt
        self.authorizedAt = authorizedAt
        self.closedAt = closedAt
    }

    /// How long after a row was created a record that should have come before it (old clients post
    /// each record independently, so they can arrive out of order) still joins it.
    public static let reorderWindowSeconds: Int64 = 600

    /// Whether `record` continues this row rather than starting a new connection. `conn_id` restarts
    /// with the device's service, so a row is only continued by a kind of record it has not seen,
    /// within the same session (0 = not known on one side), and a record that belongs before one the
    /// row already has (`new` after `authorized`) only within `reorderWindowSeconds`.
    public func isContinued(by record: ConnectionRecord, now: Int64) -> Bool {
        guard sessionMatches(record.sessionID) else { return false }
        let recent = now - createdAt <= Self.reorderWindowSeconds
        switch record.event {
        case .opened: return openedAt == nil && recent
        case .authorized: return authorizedAt == nil && (closedAt == nil || recent)
        case .closed: return closedAt == nil
        }
    }

    private func sessionMatches(_ other: UInt64) -> Bool {
        sessionID == 0 || other == 0 || sessionID == other
    }
}
