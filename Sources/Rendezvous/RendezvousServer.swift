import Logging
import NIOCore
import NIOPosix
import RendezvousCore
import RustDeskCore
import RustDeskNIO
import ServiceLifecycle
import Synchronization

/// hbbs's listeners (spec/hbbs.md §1): UDP and TCP on PORT, TCP on PORT−1, WebSocket on PORT+2.
/// `start()` binds them
/// (with port 0 it picks a free PORT whose neighbours are free too, for tests); `run()` serves until
/// graceful shutdown, then closes the listeners.
public final class RendezvousServer: Service, Sendable {
    public struct BoundPorts: Sendable, Equatable {
        public let port: Int
        /// The TCP PORT listener's address (the self-test's default target).
        public let mainListener: SocketAddress
        public var natTestPort: Int { port - 1 }
        public var webSocketPort: Int { port + 2 }
    }

    static let defaultUDPReceiveBuffer = 4 << 20

    public let services: RendezvousServices
    private let group: any EventLoopGroup
    private let threadPool: NIOThreadPool
    private let console: NATPortHandler.ConsoleExecutor?
    private let listeners = ListenerSet()
    /// The UDP PORT's receive loop, once bound.
    private let udpLoop = Mutex<UDPRegistrationLoop?>(nil)
    /// Guards the ports once bound.
    private let bound = Mutex<BoundPorts?>(nil)

    public init(
        services: RendezvousServices, group: any EventLoopGroup, threadPool: NIOThreadPool = .singleton,
        console: (@Sendable (String) -> String)? = nil
    ) {
        self.services = services
        self.group = group
        self.threadPool = threadPool
        self.console = console
    }

    public var ports: BoundPorts? { bound.withLock { $0 } }

    /// Bound and not yet closed: the UDP loop receives and the listeners accept.
    public var isServing: Bool { udpLoop.withLock { $0 != nil } }

    /// Binds every listener (the reference binds UDP first; binding TCP PORT first lets port 0 pick it).
    @discardableResult
    public func start() async throws -> BoundPorts {
        if let ports { return ports }
        let (host, ports) = try await ListenerBinding.onFirstHost(
            ListenerBinding.hosts(for: services.settings.bind)
        ) { try await bindAll(host: $0) }
        bound.withLock { $0 = ports }
        services.logger.info(
            "listening", metadata: ["host": "\(host)", "port": "\(ports.port)", "nat-port": "\(ports.natTestPort)"])
        return ports
    }

    public func run() async throws {
        try await start()
        // Serve until a graceful shutdown (SIGTERM) or cancellation, then stop accepting.
        try? await gracefulShutdown()
        await close()
    }

    /// Stops in the order that loses no answer: stop receiving datagrams and accepting connections,
    /// let the store commit what it was given and send those replies (over UDP too), then close the UDP
    /// socket. Open connections end on their own timeouts.
    public func close() async {
        let loop = udpLoop.withLock { loop in
            defer { loop = nil }
            return loop
        }
        await loop?.stopReceiving()
        await listeners.closeAll()
        await services.store.flush()
        loop?.closeSocket()
    }

    /// TCP PORT first (so port 0 can pick it), then UDP PORT, TCP PORT−1 and PORT+2; see
    /// `ListenerBinding.bindBlock`.
    private func bindAll(host: String) async throws -> BoundPorts {
        var udp: UDPSocket?
        let block = try await ListenerBinding.bindBlock(
            requestedPort: services.settings.port,
            bindMain: { port in
                try await bindTCP(host: host, port: port) { [self] channel in
                    try Self.configureMainPort(channel, services: services)
                }
            },
            bindNeighbours: { port in
                var opened: [any Channel] = []
                let socket = try bindUDP(host: host, port: port)
                do {
                    opened.append(
                        try await bindTCP(host: host, port: port - 1) { [self] channel in
                            try channel.pipeline.syncOperations.addHandler(
                                NATPortHandler(services: services, console: console, threadPool: threadPool))
                        })
                    opened.append(
                        try await bindTCP(host: host, port: port + 2) { [self] channel in
                            try Self.configureWebSocketPort(channel, services: services)
                        })
                } catch {
                    socket.close()
                    for channel in opened { try? await channel.close() }
                    throw error
                }
                udp = socket
                return opened
            })
        guard let listener = block.main.localAddress, let udp else {
            throw ChannelError.unknownLocalAddress
        }
        services.messenger.attach(udp)
        let loop = UDPRegistrationLoop(
            socket: udp, service: UDPRegistrationService(services: services, socket: udp), logger: services.logger)
        loop.start()
        udpLoop.withLock { $0 = loop }
        listeners.add([block.main] + block.neighbours)
        return BoundPorts(port: block.port, mainListener: listener)
    }

    static func configureMainPort(_ channel: any Channel, services: RendezvousServices) throws {
        let settings = services.settings
        try channel.pipeline.syncOperations.addHandlers([
            readTimeout(services),
            ByteToMessageHandler(FrameDecoder(maximumPayload: settings.maximumFramePayload)),
            MessageToByteHandler(FrameEncoder()),
        ])
        if let signingKey = settings.secureTCPSigningKey {
            try channel.pipeline.syncOperations.addHandler(
                try secureChannel(signingKey: signingKey, remote: channel.remoteAddress, services: services))
        }
        try channel.pipeline.syncOperations.addHandler(RendezvousTCPHandler(services: services))
    }

    /// Secure TCP (spec/wire.md §4): only here, never on PORT−1 or WebSocket, whose clients would take
    /// an unsolicited KeyExchange as their answer.
    private static func secureChannel(
        signingKey: [UInt8], remote: SocketAddress?, services: RendezvousServices
    ) throws -> SecureChannelHandler {
        let metrics = services.metrics
        let logger = services.logger
        return SecureChannelHandler(
            handshake: try SecureChannelServerHandshake(signingSecretKey: signingKey),
            onSecured: { metrics.secureHandshakes.count(.secured) },
            onFailure: { error in
                metrics.secureHandshakes.count(.failed)
                // Garbage as the first unit is what the message handler would call malformed.
                metrics.connectionsClosed.count(error == .malformedReply ? .malformedUnit : .secureChannelFailure)
                logger.debug(
                    "secure TCP failed",
                    metadata: ["conn.remote": "\(remote.map(String.init(describing:)) ?? "?")", "error": "\(error)"])
            })
    }

    /// PORT+2: an HTTP upgrade to WebSocket on any path, then the same handler as TCP PORT, one unit per
    /// binary message. `X-Real-IP` / `X-Forwarded-For` name the client only when the connection comes
    /// from loopback or a TRUSTED_PROXIES network.
    static func configureWebSocketPort(_ channel: any Channel, services: RendezvousServices) throws {
        let settings = services.settings
        let metrics = services.metrics
        let limits = WebSocketPort.Limits(
            maximumFrame: settings.maximumFramePayload, maximumMessage: settings.maximumFramePayload,
            maximumFragments: 64, nonBinaryAsEmptyUnits: false)
        // The idle limit covers the upgrade too.
        try channel.pipeline.syncOperations.addHandler(readTimeout(services))
        try WebSocketPort.configure(
            channel, limits: limits, trustedProxies: settings.trustedProxies,
            onFailedUpgrade: { metrics.connectionsClosed.count(.failedUpgrade) },
            upgraded: { _, client in
                [RendezvousTCPHandler(services: services, overWebSocket: true, clientAddress: client)]
            })
    }

    /// The idle limit between units (and on the WebSocket upgrade) of PORT and PORT+2.
    private static func readTimeout(_ services: RendezvousServices) -> ReadTimeoutHandler {
        let metrics = services.metrics
        return ReadTimeoutHandler(clock: services.clock, timeout: services.settings.connectionTimeout) {
            metrics.connectionsClosed.count(.timeout)
        }
    }

    private func bindTCP(
        host: String, port: Int, initializer: @escaping @Sendable (any Channel) throws -> Void
    ) async throws -> any Channel {
        try await ListenerBootstrap.bind(host: host, port: port, group: group, childInitializer: initializer)
    }

    /// UDP PORT, served by `UDPRegistrationLoop` rather than a NIO channel (see there).
    private func bindUDP(host: String, port: Int) throws -> UDPSocket {
        // RMEM when given; otherwise ask for 4 MiB instead of the OS default (~208 KiB), which a burst of
        // a few hundred registrations can overflow while a commit holds the CPU. The kernel caps the
        // request at net.core.rmem_max.
        let requested = services.settings.udpReceiveBufferSize
        let receiveBuffer = requested > 0 ? requested : Self.defaultUDPReceiveBuffer
        return try UDPSocket(host: host, port: port, receiveBuffer: receiveBuffer)
    }
}
