/// One post to `/api/audit/conn` from the controlled device (http-api.md §6.1): which connection it
/// is about and what happened. The device posts three per connection, in order: `opened` when the
/// controller's TCP connection arrives (its `session_id` is still 0, the login has not been read),
/// `authorized` after the login succeeded, and `closed`.
public struct ConnectionRecord: Sendable, Equatable {
    /// The controlled device's RustDesk ID.
    public var deviceID: String
    /// The device's per-process connection counter: with `deviceID` it names the connection until
    /// the device's service restarts.
    public var connID: Int64
    /// The controller's random u64 session id; 0 when the record does not carry one yet.
    public var sessionID: UInt64
    public var event: ConnectionEvent

    public init(deviceID: String, connID: Int64, sessionID: UInt64, event: ConnectionEvent) {
        self.deviceID = deviceID
        self.connID = connID
        self.sessionID = sessionID
        self.event = event
    }
}

public enum ConnectionEvent: Sendable, Equatable {
    /// `action: "new"`: the controller's address and hbbs's `conn_audit_ref`, if any.
    case opened(ip: String, connAuditRef: String)
    /// No `action`, with `peer`: who logged in, over which connection type, and how.
    case authorized(ConnectionLogin)
    /// `action: "close"`.
    case closed
}

/// The controller as the `authorized` record names it, and how it got in.
public struct ConnectionLogin: Sendable, Equatable {
    public var peerID: String
    public var peerName: String
    /// 0 remote desktop, 1 file transfer, 2 port forward or RDP, 3 view camera, 4 terminal.
    public var connType: Int64
    /// 1 click-accept, 2 one-time password, 3 permanent password, 4 switch sides; nil when not sent.
    public var primaryAuth: Int64?
    /// 1 TOTP, 2 trusted device; nil when not sent.
    public var twoFactor: Int64?

    public init(
        peerID: String, peerName: String, connType: Int64, primaryAuth: Int64? = nil, twoFactor: Int64? = nil
    ) {
        self.peerID = peerID
        self.peerName = peerName
        self.connType = connType
        self.primaryAuth = primaryAuth
        self.twoFactor = twoFactor
    }
}
