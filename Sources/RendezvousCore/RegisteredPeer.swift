import RustDeskCore

/// What hbbs knows about one peer ID (spec/hbbs.md §4.1). Lives in `PeerRegistry`; the
/// persistent fields (guid, uuid, pk, info IP) mirror its `peer` row.
///
/// Laid out for a million instances: the address is packed into 19 bytes (an `IPAddress` would take
/// 32, UInt128 aligning to 16), and guid, uuid, pk and the info IP text share one heap block.
public struct RegisteredPeer: Sendable, Equatable {
    // Declaration order is layout order: the byte-sized counter and flag fill the address's padding,
    // so the record is 48 bytes (the dictionary slot of a million peers).
    private var address: CompactSocketAddr
    /// RegisterPk burst counter (§5.2 step 6); it never needs to pass 3, so a byte, saturating.
    private var burst: UInt8
    /// Whether `keys` holds a pk, kept beside the address so a heartbeat never reads the key block
    /// (a cache miss per heartbeat at a million peers).
    private var pkPresent: Bool
    /// guid, uuid, pk and the info IP in one allocation; heartbeats never touch them.
    private var keys: PackedKeys {
        didSet { pkPresent = keys.pkCount > 0 }
    }
    /// Last accepted heartbeat; "online" while `now − lastRegTime < 30 s`.
    public var lastRegTime: Milliseconds
    public var registerPkTime: Milliseconds

    public static let onlineWindow: Milliseconds = 30_000
    /// New records start "an hour ago", so they are offline and their rate window is open.
    static let initialAge: Milliseconds = 3_600_000

    /// A record with no registration yet, as created at `now`.
    public static func empty(now: Milliseconds) -> RegisteredPeer {
        RegisteredPeer(
            address: CompactSocketAddr(SocketAddr(ip: .v4(0), port: 0)), burst: 0, pkPresent: false,
            keys: PackedKeys(), lastRegTime: now &- initialAge, registerPkTime: now &- initialAge)
    }

    /// Last UDP (or registration-connection) address accepted for this ID; port 0 = none since start.
    public var socketAddr: SocketAddr {
        get { address.socketAddr }
        set { address = CompactSocketAddr(newValue) }
    }

    /// The IP text stored in the row's `info` JSON.
    public var infoIP: String {
        get { keys.ip }
        set { keys = PackedKeys(guid: keys.guid, uuid: keys.uuid, pk: keys.pk, ip: newValue) }
    }

    public var registerPkCount: Int32 {
        get { Int32(burst) }
        set { burst = UInt8(clamping: newValue) }
    }

    /// Primary key of the `peer` row; empty until the first save is queued.
    public var guid: [UInt8] {
        get { keys.guid }
        set { keys = PackedKeys(guid: newValue, uuid: keys.uuid, pk: keys.pk, ip: keys.ip) }
    }

    public var uuid: [UInt8] {
        get { keys.uuid }
        set { keys = PackedKeys(guid: keys.guid, uuid: newValue, pk: keys.pk, ip: keys.ip) }
    }

    public var pk: [UInt8] {
        get { keys.pk }
        set { keys = PackedKeys(guid: keys.guid, uuid: keys.uuid, pk: newValue, ip: keys.ip) }
    }

    /// Whether the stored uuid is non-empty and equal to `candidate`, without copying it (the client
    /// API checks this on every device request).
    public func hasUUID(_ candidate: some Collection<UInt8>) -> Bool {
        keys.uuidEquals(candidate)
    }

    /// Whether a key is registered, without copying it (the heartbeat path asks this).
    public var hasPk: Bool { pkPresent }

    /// A record loaded from the database: persistent fields set, offline until its next heartbeat.
    public static func loaded(guid: [UInt8], uuid: [UInt8], pk: [UInt8], infoIP: String, now: Milliseconds)
        -> RegisteredPeer
    {
        var peer = empty(now: now)
        peer.keys = PackedKeys(guid: guid, uuid: uuid, pk: pk, ip: infoIP)
        return peer
    }

    public func isOnline(now: Milliseconds) -> Bool { now &- lastRegTime < Self.onlineWindow }
}

/// guid ‖ uuid ‖ pk ‖ info IP text in one byte array that also holds the lengths needed to split it
/// (a 5-byte header), so the record itself carries a single reference. No keys at all: an empty array,
/// which allocates nothing.
struct PackedKeys: Sendable, Equatable {
    private var bytes: [UInt8] = []

    /// guid count (2 bytes, little-endian), uuid count (2), IP text count (1).
    private static let headerSize = 5

    init() {}

    /// Lengths beyond what the header holds are cut; the wire limits datagrams far below that, and an
    /// IP text is at most 45 characters.
    init(guid: [UInt8], uuid: [UInt8], pk: [UInt8], ip: String) {
        let guid = guid.prefix(Int(UInt16.max))
        let uuid = uuid.prefix(Int(UInt16.max))
        let ip = ip.utf8.prefix(Int(UInt8.max))
        guard !(guid.isEmpty && uuid.isEmpty && pk.isEmpty && ip.isEmpty) else { return }
        bytes.reserveCapacity(Self.headerSize + guid.count + uuid.count + pk.count + ip.count)
        bytes.append(UInt8(truncatingIfNeeded: guid.count))
        bytes.append(UInt8(truncatingIfNeeded: guid.count >> 8))
        bytes.append(UInt8(truncatingIfNeeded: uuid.count))
        bytes.append(UInt8(truncatingIfNeeded: uuid.count >> 8))
        bytes.append(UInt8(truncatingIfNeeded: ip.count))
        bytes.append(contentsOf: guid)
        bytes.append(contentsOf: uuid)
        bytes.append(contentsOf: pk)
        bytes.append(contentsOf: ip)
    }

    private var hasHeader: Bool { bytes.count >= Self.headerSize }
    private var guidCount: Int { hasHeader ? Int(bytes[0]) | Int(bytes[1]) << 8 : 0 }
    private var uuidCount: Int { hasHeader ? Int(bytes[2]) | Int(bytes[3]) << 8 : 0 }
    private var ipCount: Int { hasHeader ? Int(bytes[4]) : 0 }

    // Clamped so that even inconsistent bytes could never index out of range.
    private var guidStart: Int { min(Self.headerSize, bytes.count) }
    private var uuidStart: Int { min(guidStart + guidCount, bytes.count) }
    private var pkStart: Int { min(uuidStart + uuidCount, bytes.count) }
    private var ipStart: Int { max(pkStart, bytes.count - ipCount) }

    var guid: [UInt8] { Array(bytes[guidStart..<uuidStart]) }
    var uuid: [UInt8] { Array(bytes[uuidStart..<pkStart]) }
    func uuidEquals(_ candidate: some Collection<UInt8>) -> Bool {
        uuidStart < pkStart && bytes[uuidStart..<pkStart].elementsEqual(candidate)
    }
    var pk: [UInt8] { Array(bytes[pkStart..<ipStart]) }
    var ip: String { String(decoding: bytes[ipStart...], as: UTF8.self) }
    var pkCount: Int { ipStart - pkStart }
}

/// A socket address in 19 bytes: the IP as two 64-bit halves, the port, and the family.
struct CompactSocketAddr: Sendable, Equatable {
    private var high: UInt64
    private var low: UInt64
    private var port: UInt16
    private var isIPv4: Bool

    init(_ address: SocketAddr) {
        switch address.ip {
        case .v4(let value):
            high = 0
            low = UInt64(value)
            isIPv4 = true
        case .v6(let value):
            high = UInt64(truncatingIfNeeded: value >> 64)
            low = UInt64(truncatingIfNeeded: value)
            isIPv4 = false
        }
        port = address.port
    }

    var socketAddr: SocketAddr {
        let ip: IPAddress = isIPv4 ? .v4(UInt32(truncatingIfNeeded: low)) : .v6(UInt128(high) << 64 | UInt128(low))
        return SocketAddr(ip: ip, port: port)
    }
}
