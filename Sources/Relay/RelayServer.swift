import Logging
import NIOCore
import NIOPosix
import RustDeskCore
import ServiceLifecycle
import Synchronization

/// hbbr's relay listeners (hbbr.md §1, §4): plain TCP on PORT, loopback console included, and
/// WebSocket on PORT+2, sharing one waiting table. `start()` binds both (port 0 picks a free PORT
/// whose PORT+2 is free too, for tests); `run()` serves until graceful shutdown, then closes the
/// listeners and every connection. Created by the `hbbr` executable and by tests.
public final class RelayServer: Service, Sendable {
    public let settings: RelaySettings
    public let controls: RelayControls
    private let context: RelayContext
    private let group: any EventLoopGroup
    /// Guards the listener channels once bound: TCP PORT first, then WebSocket PORT+2.
    private let listeners = Mutex<[any Channel]>([])
    /// Guards the accepted connections that are still open, so `close()` can end them.
    private let connections = Mutex<[ObjectIdentifier: any Channel]>([:])

    public init(settings: RelaySettings, controls: RelayControls, group: any EventLoopGroup, logger: Logger) {
        self.settings = settings
        self.controls = controls
        self.group = group
        context = RelayContext(
            settings: settings, controls: controls, room: RelayWaitingRoom(capacity: settings.waitingCapacity),
            console: RelayConsole(controls: controls), logger: logger, closeReasons: CloseReasonCounter())
    }

    /// Connections closed for misbehaving, by reason.
    public var closeReasons: CloseReasonCounter { context.closeReasons }

    /// The bound TCP port, once `start()` has succeeded.
    public var port: Int? { listeners.withLock { $0.first?.localAddress?.port } }

    /// The bound WebSocket port (PORT+2), once `start()` has succeeded.
    public var webSocketPort: Int? { listeners.withLock { $0.dropFirst().first?.localAddress?.port } }

    /// Halves parked waiting for their partner.
    public var waitingCount: Int { context.room.count }

    /// Accepted connections still open.
    public var connectionCount: Int { connections.withLock { $0.count } }

    @discardableResult
    public func start() async throws -> Int {
        if let port { return port }
        let hosts = settings.bind.map { [$0.description] } ?? ["::", "0.0.0.0"]
        var lastError: (any Error)?
        for host in hosts {
            do {
                let port = try await bindAll(host: host)
                context.logger.info(
                    "listening", metadata: ["host": "\(host)", "port": "\(port)", "websocket-port": "\(port + 2)"])
                return port
            } catch {
                lastError = error
                context.logger.debug("cannot bind", metadata: ["host": "\(host)", "error": "\(error)"])
            }
        }
        throw lastError ?? ChannelError.unknownLocalAddress
    }

    public func run() async throws {
        try await start()
        try? await gracefulShutdown()
        await close()
    }

    /// Stops accepting, then closes every open connection (relays end with their pair).
    public func close() async {
        let open = listeners.withLock { channels in
            defer { channels = [] }
            return channels
        }
        for channel in open { try? await channel.close() }
        let accepted = connections.withLock { Array($0.values) }
        for connection in accepted { connection.close(promise: nil) }
    }

    /// Binds PORT, then PORT+2. With port 0 the kernel picks PORT and PORT+2 may be taken: retry. A
    /// rejected PORT stays bound until the end, or the kernel could hand out the same one again.
    private func bindAll(host: String) async throws -> Int {
        let attempts = settings.port == 0 ? 32 : 1
        var rejected: [any Channel] = []
        defer {
            for channel in rejected { channel.close(promise: nil) }
        }
        var lastError: (any Error)?
        for _ in 0..<attempts {
            let tcp = try await bind(host: host, port: settings.port, autoRead: false) { [context] channel in
                try channel.pipeline.syncOperations.addHandler(RelayHandshakeHandler(context: context))
            }
            guard let port = tcp.localAddress?.port else {
                rejected.append(tcp)
                throw ChannelError.unknownLocalAddress
            }
            do {
                // autoRead stays on for the HTTP upgrade; the upgrade turns it off.
                let webSocket = try await bind(host: host, port: port + 2, autoRead: true) { [context] channel in
                    try RelayWebSocketPort.configure(channel, context: context)
                }
                listeners.withLock { $0 = [tcp, webSocket] }
                return port
            } catch {
                lastError = error
                rejected.append(tcp)
            }
        }
        throw lastError ?? ChannelError.unknownLocalAddress
    }

    private func bind(
        host: String, port: Int, autoRead: Bool, initializer: @escaping @Sendable (any Channel) throws -> Void
    ) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            // The reference listens with 128; a burst of clients (a relay host opening hundreds of pairs)
            // overflows that and waits a SYN retry. The kernel caps this at net.core.somaxconn.
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.autoRead, value: autoRead)
            .childChannelInitializer { [self] channel in
                track(channel)
                return channel.eventLoop.makeCompletedFuture { try initializer(channel) }
            }
            .bind(host: host, port: port)
            .get()
    }

    private func track(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        connections.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = connections.withLock { $0.removeValue(forKey: key) }
        }
    }
}
