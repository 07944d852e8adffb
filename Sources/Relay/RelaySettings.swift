import NIOCore
import RelayCore
import RustDeskCore

/// How the relay listener behaves: address, licence key and every timeout of hbbr.md §5–§7, with the
/// spec's values as defaults. Built by the `hbbr` executable from `HbbrConfiguration`; tests shorten
/// the timeouts instead of waiting 30 s.
public struct RelaySettings: Sendable {
    /// Relay port; the WebSocket relay listens on `port + 2`. 0 lets the kernel pick a `port` whose
    /// `port + 2` is free too (tests).
    public var port: Int
    /// nil = dual-stack `[::]`, falling back to `0.0.0.0`.
    public var bind: IPAddress?
    /// "" = no licence check.
    public var licenceKey: String
    /// Time allowed for the first unit (the RequestRelay frame).
    public var firstUnitTimeout: TimeAmount = .seconds(30)
    /// How long a parked half waits for its partner.
    public var pairingTimeout: TimeAmount = .seconds(30)
    /// A pair with no data either way for this long is closed (the spec's "> 30 whole seconds").
    public var idleTimeout: TimeAmount = .seconds(31)
    /// How often a pair checks idleness, the blocklist and its accounting period.
    public var checkInterval: TimeAmount = .seconds(3)
    /// Whether loopback peers may reach the console; off, they are plain relay clients (tests of the
    /// non-loopback path run on 127.0.0.1 this way).
    public var consoleEnabled = true
    /// A loopback connection must send its first bytes (a command or a RequestRelay) within this time.
    /// The reference gives its console 1 s; a loopback connection may also be a relay client that has
    /// not spoken yet (a busy host opening many pairs), so it gets as long as any client.
    public var consoleTimeout: TimeAmount = .seconds(30)
    /// When one side ends, the bytes already accepted for the other get this long to drain.
    public var drainTimeout: TimeAmount = .seconds(5)
    /// Proxies whose X-Real-IP / X-Forwarded-For name the client on the WebSocket port.
    public var trustedProxies = TrustedProxies()
    /// The RequestRelay frame is tiny; a header announcing more than this closes the connection.
    public var maximumFirstFramePayload = 64 * 1024
    /// The HTTP upgrade on the WebSocket port must complete within this time; the first-unit timeout
    /// starts after it (the reference has none here; hbbr.md §4).
    public var webSocketHandshakeTimeout: TimeAmount = .seconds(30)
    /// Largest WebSocket frame and message accepted (tungstenite's defaults, wire.md §2.4); larger
    /// closes the connection, and with it the pair.
    public var maximumWebSocketFrame = 16 * 1024 * 1024
    public var maximumWebSocketMessage = 64 * 1024 * 1024
    /// Largest frame payload read from a TCP half relayed to a WebSocket half (framed mode).
    public var maximumFramePayload = FrameCodec.defaultMaximumPayload
    /// Parked halves beyond this are refused.
    public var waitingCapacity = 100_000
    /// The write-buffer water marks of each half: while a half holds more than `highWaterMark` bytes
    /// not yet written, its partner stops reading, and resumes once it drains below `lowWaterMark`.
    public var highWaterMark = 128 * 1024
    public var lowWaterMark = 32 * 1024
    /// Relays TCP↔TCP pairs on a thread of their own with plain read/write (`DirectRelayLoop`) rather
    /// than through NIO. Off, they use `RelayForwarder` like pairs with a WebSocket side.
    public var directTCPRelay = true

    public init(port: Int, bind: IPAddress? = nil, licenceKey: String = "") {
        self.port = port
        self.bind = bind
        self.licenceKey = licenceKey
    }
}
