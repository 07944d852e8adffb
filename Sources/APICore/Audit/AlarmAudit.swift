/// One security alarm a device reported (http-api.md §6.3): a refused address or ID, repeated
/// failed logins, a scope violation.
public struct AlarmAudit: Sendable, Equatable {
    public var deviceID: String
    /// 0 IP whitelist, 1 over 30 failed attempts, 2 six failures in a minute, 6 IPv6 prefix attempts,
    /// 7 and 8 terminal OS-login limits, 9 session scope violation, 10 ID whitelist.
    public var typ: Int64
    /// The client's JSON text with the details, stored as sent.
    public var info: String
    public var connID: Int64
    public var connAuditRef: String
    /// Unix seconds, set when it was received.
    public var createdAt: Int64

    public init(
        deviceID: String, typ: Int64, info: String, connID: Int64 = 0, connAuditRef: String = "", createdAt: Int64 = 0
    ) {
        self.deviceID = deviceID
        self.typ = typ
        self.info = info
        self.connID = connID
        self.connAuditRef = connAuditRef
        self.createdAt = createdAt
    }
}
