import NIOCore
import RendezvousCore
import RustDeskCore

/// What hbbs's listeners and handlers need, with keys derived and server lists resolved. Built once
/// at start by the executable (or a test); immutable afterwards: what the console or a loopback
/// ConfigUpdate may change lives in `RendezvousState`.
public struct RendezvousSettings: Sendable {
    /// Main port (UDP + TCP); PORT−1 serves NAT test, online query and console. 0 picks free ports.
    public var port: Int
    /// Address every listener binds; nil = dual-stack `[::]`, falling back to `0.0.0.0`.
    public var bind: IPAddress?
    /// Key clients must present in PunchHoleRequest; empty = no check.
    public var licenceKey: String
    /// Ed25519 secret key (64 bytes) signing IdPk blobs; nil = blobs stay empty.
    public var signingSecretKey: [UInt8]?
    public var serial: Int32
    public var rendezvousServers: [String]
    public var softwareURL: String
    /// Relay servers, already filtered to those that resolve.
    public var relayServers: [String]
    /// UDP receive buffer (SO_RCVBUF) in bytes; 0 = OS default.
    public var udpReceiveBufferSize: Int
    /// MASK: the IPv4 network regarded as LAN.
    public var mask: IPv4Network?
    /// Relay handed to LAN peers when MASK is set.
    public var localIP: String
    public var alwaysUseRelay: Bool
    /// Idle limit between units on TCP PORT and the first-unit limit on PORT−1 (30 s).
    public var connectionTimeout: TimeAmount
    /// How often a TCP/WebSocket registration connection gets an empty unit, which the client echoes:
    /// well inside both the client's idle limit (1.5 × keep_alive, 90 s by default) and
    /// `connectionTimeout`, so the echo keeps the connection and the peer alive.
    public var registrationHeartbeat: TimeAmount
    /// Proxies whose X-Real-IP / X-Forwarded-For name the client on the WebSocket port.
    public var trustedProxies: TrustedProxies
    /// Largest accepted TCP frame payload.
    public var maximumFramePayload: Int
    /// Apply the per-IP RegisterPk limit (§6.2) to loopback sources too; off by default because only
    /// local processes can use those addresses.
    public var limitLoopbackRegistrations: Bool
    /// Offer secure TCP (spec/wire.md §4) on PORT: on by default, effective only with a signing key.
    public var secureTCP: Bool
    /// ALLOW_ID_CHANGE: clients may move to a new ID (RegisterPk with `old_id`); on by default, as in Pro.
    public var allowIDChange: Bool

    public init(port: Int = 21116) {
        self.port = port
        bind = nil
        licenceKey = ""
        signingSecretKey = nil
        serial = 0
        rendezvousServers = []
        softwareURL = ""
        relayServers = []
        udpReceiveBufferSize = 0
        mask = nil
        localIP = ""
        alwaysUseRelay = false
        connectionTimeout = .seconds(30)
        registrationHeartbeat = .seconds(15)
        trustedProxies = TrustedProxies()
        // Rendezvous units are a few hundred bytes; 1 MiB leaves room for any HttpProxy body.
        maximumFramePayload = 1 << 20
        limitLoopbackRegistrations = false
        secureTCP = true
        allowIDChange = true
    }

    /// The signing key when PORT connections start with the signed KeyExchange; nil = plain OSS
    /// behaviour (switched off, or no key to sign with).
    public var secureTCPSigningKey: [UInt8]? { secureTCP ? signingSecretKey : nil }

    public var softwareVersion: String { SoftwareVersion.fromURL(softwareURL) }
}

extension RendezvousSettings {
    /// The settings the configuration asks for, with the resolved keys and the server lists already
    /// filtered by DNS (spec/hbbs.md §2.2).
    public init(
        configuration: HbbsConfiguration, keys: HbbsKeySettings, relayServers: [String], rendezvousServers: [String]
    ) {
        self.init(port: configuration.port)
        bind = configuration.bind
        licenceKey = keys.licenceKey
        signingSecretKey = keys.signingSecretKey
        serial = configuration.serial
        self.rendezvousServers = rendezvousServers
        softwareURL = configuration.softwareURL
        self.relayServers = relayServers
        udpReceiveBufferSize = configuration.rmem
        mask = configuration.mask
        localIP = configuration.localIP ?? ""
        alwaysUseRelay = configuration.alwaysUseRelay
        secureTCP = configuration.secureTCP
        allowIDChange = configuration.allowIDChange
        trustedProxies = configuration.trustedProxies
    }
}
