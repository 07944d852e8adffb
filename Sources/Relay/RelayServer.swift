import Logging
import NIOCore
import NIOPosix
import Observability
import RelayCore
import RustDeskCore
import RustDeskNIO
import ServiceLifecycle
import Synchronization

/// hbbr's relay listeners (hbbr.md §1, §4): plain TCP on PORT, loopback console included, and
/// WebSocket on PORT+2, sharing one waiting table. `start()` binds both (port 0 picks a free PORT
/// whose PORT+2 is free too, for tests); `run()` serves until graceful shutdown, then closes the
/// listeners and every connection. Created by the `hbbr` executable and by tests.
public final class RelayServer: Service, Sendable {
    public let settings: RelaySettings
    public let controls: RelayControls
    private let services: RelayServices
    private let group: any EventLoopGroup
    public let metrics: HbbrMetrics
    /// TCP PORT first, then WebSocket PORT+2, once bound.
    private let listeners = ListenerSet()
    /// Set by the first `close()`: the listeners are gone for good, not yet to be bound.
    private let closed = Atomic(false)
    private let connections = OpenConnections()

    /// `clock` sets every connection's timers; `controls.now` must read the same clock (both are
    /// `ServerClock.system` and `MonotonicClock.now` outside tests).
    public init(
        settings: RelaySettings, controls: RelayControls, metrics: HbbrMetrics = HbbrMetrics(),
        clock: ServerClock = .system, group: any EventLoopGroup, logger: Logger
    ) {
        self.settings = settings
        self.controls = controls
        self.metrics = metrics
        self.group = group
        services = RelayServices(
            settings: settings, controls: controls, clock: clock,
            room: RelayWaitingRoom(capacity: settings.waitingCapacity),
            console: RelayConsole(controls: controls), logger: logger, metrics: metrics,
            direct: settings.directTCPRelay
                ? DirectRelayLoop(settings: settings, controls: controls, logger: logger) : nil)
    }

    /// The bound TCP port, once `start()` has succeeded.
    public var port: Int? { listeners.all.first?.localAddress?.port }

    /// The bound WebSocket port (PORT+2), once `start()` has succeeded.
    public var webSocketPort: Int? { listeners.all.dropFirst().first?.localAddress?.port }

    /// Halves parked waiting for their partner.
    public var waitingCount: Int { services.room.count }

    /// `/readyz`'s part: ready while both listeners are bound and open.
    public var readiness: Readiness {
        let open = listeners.all
        if open.count == 2, open.allSatisfy(\.isActive) { return .ready }
        if closed.load(ordering: .relaxed) { return .notReady(reasons: ["relay listeners closed"]) }
        if open.isEmpty { return .notReady(reasons: ["relay listeners not bound yet"]) }
        return .notReady(reasons: ["a relay listener is no longer open"])
    }

    /// Accepted connections still open, in NIO or in the direct relay.
    public var connectionCount: Int { connections.count + directConnectionCount }

    /// Connections of TCP↔TCP pairs that the direct relay thread holds.
    public var directConnectionCount: Int { services.direct?.openHalves ?? 0 }

    @discardableResult
    public func start() async throws -> Int {
        if let port { return port }
        let (host, port) = try await ListenerBinding.onFirstHost(ListenerBinding.hosts(for: settings.bind)) {
            try await bindAll(host: $0)
        }
        services.logger.info(
            "listening", metadata: ["host": "\(host)", "port": "\(port)", "websocket-port": "\(port + 2)"])
        return port
    }

    public func run() async throws {
        try await start()
        try? await gracefulShutdown()
        await close()
    }

    /// Stops accepting, then closes every open connection (relays end with their pair).
    public func close() async {
        closed.store(true, ordering: .relaxed)
        await listeners.closeAll()
        connections.closeAll()
        await services.direct?.close()
    }

    /// Binds PORT, then PORT+2 (see `ListenerBinding.bindBlock` for port 0).
    private func bindAll(host: String) async throws -> Int {
        let block = try await ListenerBinding.bindBlock(
            requestedPort: settings.port,
            bindMain: { port in
                try await bind(host: host, port: port, autoRead: false) { [services] channel in
                    try channel.pipeline.syncOperations.addHandler(RelayHandshakeHandler(services: services))
                }
            },
            bindNeighbours: { port in
                // autoRead stays on for the HTTP upgrade; the upgrade turns it off.
                [
                    try await bind(host: host, port: port + 2, autoRead: true) { [services] channel in
                        try RelayWebSocketPort.configure(channel, services: services)
                    }
                ]
            })
        listeners.add([block.main] + block.neighbours)
        return block.port
    }

    static let receiveBuffers = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 128, maximum: 65536)

    private func bind(
        host: String, port: Int, autoRead: Bool, initializer: @escaping @Sendable (any Channel) throws -> Void
    ) async throws -> any Channel {
        try await ListenerBootstrap.bind(
            host: host, port: port, group: group,
            configure: {
                $0.childChannelOption(.autoRead, value: autoRead)
                    // NIO keeps each channel's last receive buffer for reuse; starting at 128 bytes instead
                    // of 2 KiB keeps parked halves and WebSocket pairs small (docs/performance.md). Busy
                    // halves grow to 64 KiB reads within a few reads.
                    .childChannelOption(.recvAllocator, value: Self.receiveBuffers)
            },
            childInitializer: { [self] channel in
                connections.track(channel)
                try initializer(channel)
            })
    }
}
