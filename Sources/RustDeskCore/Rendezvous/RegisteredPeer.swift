/// What hbbs knows about one peer ID (spec/hbbs.md §4.1). Lives in `PeerRegistry`; the
/// persistent fields (guid, uuid, pk, info IP) mirror its `peer` row.
public struct RegisteredPeer: Sendable, Equatable {
    /// Last UDP source address accepted for this ID; port 0 = none since start.
    public var socketAddr: SocketAddr
    /// Last accepted heartbeat; "online" while `now − lastRegTime < 30 s`.
    public var lastRegTime: Milliseconds
    /// guid, uuid and pk in one allocation: a million peers are held in memory, and three separate
    /// arrays would cost three heap blocks each. Heartbeats never touch them.
    private var keys: PackedKeys
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
            socketAddr: SocketAddr(ip: .v4(0), port: 0), lastRegTime: now &- initialAge, keys: PackedKeys(),
            infoIP: "", registerPkCount: 0, registerPkTime: now &- initialAge)
    }

    /// Primary key of the `peer` row; empty until the first save is queued.
    public var guid: [UInt8] {
        get { keys.guid }
        set { keys = PackedKeys(guid: newValue, uuid: keys.uuid, pk: keys.pk) }
    }

    public var uuid: [UInt8] {
        get { keys.uuid }
        set { keys = PackedKeys(guid: keys.guid, uuid: newValue, pk: keys.pk) }
    }

    public var pk: [UInt8] {
        get { keys.pk }
        set { keys = PackedKeys(guid: keys.guid, uuid: keys.uuid, pk: newValue) }
    }

    /// Whether a key is registered, without copying it (the heartbeat path asks this).
    public var hasPk: Bool { keys.pkCount > 0 }

    /// A record loaded from the database: persistent fields set, offline until its next heartbeat.
    public static func loaded(guid: [UInt8], uuid: [UInt8], pk: [UInt8], infoIP: String, now: Milliseconds)
        -> RegisteredPeer
    {
        var peer = empty(now: now)
        peer.keys = PackedKeys(guid: guid, uuid: uuid, pk: pk)
        peer.infoIP = infoIP
        return peer
    }

    public func isOnline(now: Milliseconds) -> Bool { now &- lastRegTime < Self.onlineWindow }
}

/// guid ‖ uuid ‖ pk in one byte array with the two leading lengths.
struct PackedKeys: Sendable, Equatable {
    private var bytes: [UInt8] = []
    private var guidCount: UInt16 = 0
    private var uuidCount: UInt16 = 0

    init() {}

    /// Lengths beyond 65 535 bytes are cut; the wire limits datagrams far below that.
    init(guid: [UInt8], uuid: [UInt8], pk: [UInt8]) {
        let guid = guid.prefix(Int(UInt16.max))
        let uuid = uuid.prefix(Int(UInt16.max))
        bytes.reserveCapacity(guid.count + uuid.count + pk.count)
        bytes.append(contentsOf: guid)
        bytes.append(contentsOf: uuid)
        bytes.append(contentsOf: pk)
        guidCount = UInt16(guid.count)
        uuidCount = UInt16(uuid.count)
    }

    var guid: [UInt8] { Array(bytes[0..<Int(guidCount)]) }
    var uuid: [UInt8] { Array(bytes[Int(guidCount)..<Int(guidCount) + Int(uuidCount)]) }
    var pk: [UInt8] { Array(bytes[(Int(guidCount) + Int(uuidCount))...]) }
    var pkCount: Int { bytes.count - Int(guidCount) - Int(uuidCount) }
}
