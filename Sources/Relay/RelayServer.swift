import Logging
import NIOCore
import NIOPosix
import RustDeskCore
import ServiceLifecycle
import Synchronization

/// hbbr's relay listener on PORT (hbbr.md §1, §4): plain TCP, loopback console included. `start()`
/// binds (port 0 picks a free port, for tests); `run()` serves until graceful shutdown, then closes
/// the listener and every connection. Created by the `hbbr` executable and by tests.
public final class RelayServer: Service, Sendable {
    public let settings: RelaySettings
    public let controls: RelayControls
    private let context: RelayContext
    private let group: any EventLoopGroup
    /// Guards the listener channel once bound.
    private let listener = Mutex<(any Channel)?>(nil)
    /// Guards the accepted connections that are still open, so `close()` can end them.
    private let connections = Mutex<[ObjectIdentifier: any Channel]>([:])

    public init(settings: RelaySettings, controls: RelayControls, group: any EventLoopGroup, logger: Logger) {
        self.settings = settings
        self.controls = controls
        self.group = group
        context = RelayContext(
            settings: settings, controls: controls, room: RelayWaitingRoom(capacity: settings.waitingCapacity),
            console: RelayConsole(controls: controls), logger: logger)
    }

    /// The bound port, once `start()` has succeeded.
    public var port: Int? { listener.withLock { $0?.localAddress?.port } }

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
                let channel = try await bind(host: host)
                listener.withLock { $0 = channel }
                let port = channel.localAddress?.port ?? settings.port
                context.logger.info("listening", metadata: ["host": "\(host)", "port": "\(port)"])
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
        let channel = listener.withLock { channel in
            defer { channel = nil }
            return channel
        }
        try? await channel?.close()
        let open = connections.withLock { Array($0.values) }
        for connection in open { connection.close(promise: nil) }
    }

    private func bind(host: String) async throws -> any Channel {
        let context = context
        return try await ServerBootstrap(group: group)
            // The reference listens with 128; a burst of clients (a relay host opening hundreds of pairs)
            // overflows that and waits a SYN retry. The kernel caps this at net.core.somaxconn.
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { [self] channel in
                track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RelayHandshakeHandler(context: context))
                }
            }
            .bind(host: host, port: settings.port)
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
