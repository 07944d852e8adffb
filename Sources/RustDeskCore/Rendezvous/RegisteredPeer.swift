/// What hbbs knows about one peer ID (spec/hbbs.md §4.1). Lives in `PeerRegistry`; the
/// persistent fields (guid, uuid, pk, info IP) mirror its `peer` row.
public struct RegisteredPeer: Sendable, Equatable {
    /// Last UDP source address accepted for this ID; port 0 = none since start.
    public var socketAddr: SocketAddr
    /// Last accepted heartbeat; "online" while `now − lastRegTime < 30 s`.
    public var lastRegTime: Milliseconds
    /// Primary key of the `peer` row; empty until the first save is queued.
    public var guid: [UInt8]
    public var uuid: [UInt8]
    public var pk: [UInt8]
    /// The IP text stored in the row's `info` JSON.
    public var infoIP: String
    /// RegisterPk burst counter for this ID (§5.2 step 6).
    public var registerPkCount: Int32
    public var registerPkTime: Milliseconds

    public static let onlineWindow: Milliseconds = 30_000
    /// New records start "an hour ago", so they are offline and their rate window is open.
    static let initialAge: Milliseconds = 3_600_000

    /// A record with no registration yet, as created at `now`.
    public static func empty(now: Milliseconds) -> RegisteredPeer {
        RegisteredPeer(
            socketAddr: SocketAddr(ip: .v4(0), port: 0), lastRegTime: now &- initialAge, guid: [], uuid: [], pk: [],
            infoIP: "", registerPkCount: 0, registerPkTime: now &- initialAge)
    }

    /// A record loaded from the database: persistent fields set, offline until its next heartbeat.
    public static func loaded(guid: [UInt8], uuid: [UInt8], pk: [UInt8], infoIP: String, now: Milliseconds)
        -> RegisteredPeer
    {
        var peer = empty(now: now)
        peer.guid = guid
        peer.uuid = uuid
        peer.pk = pk
        peer.infoIP = infoIP
        return peer
    }

    public func isOnline(now: Milliseconds) -> Bool { now &- lastRegTime < Self.onlineWindow }
}
