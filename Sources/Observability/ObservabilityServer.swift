import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import RustDeskNIO
import ServiceLifecycle
import Synchronization

/// The observability listener of one server: `/metrics` (Prometheus text format of `registry`),
/// `/healthz` (the process answers) and `/readyz` (what `readiness` says), over HTTP/1.1 with
/// keep-alive. `start()` binds (port 0 picks a free port) and tells the address; `run()` serves
/// until graceful shutdown, then closes the listener and every connection. Created by the `hbbs` and
/// `hbbr` executables and by tests.
///
/// Requests are answered on the connection's event loop: `readiness` and `beforeScrape` must be
/// quick and must not block. Scrapes never touch the servers' hot paths, which only bump atomics.
public final class ObservabilityServer: Service, Sendable {
    private let host: String
    private let port: Int
    private let routes: ObservabilityRoutes
    private let limits: ObservabilityLimits
    private let clock: ServerClock
    private let group: any EventLoopGroup
    private let logger: Logger
    /// Guards the listening channel once bound; nil before `start()` and after `close()`.
    private let listener = Mutex<(any Channel)?>(nil)
    private let connections = OpenConnections()

    /// - Parameters:
    ///   - host: an IPv4 or IPv6 literal (no brackets); names are not resolved.
    ///   - port: 0 lets the kernel choose.
    ///   - beforeScrape: runs before each `/metrics` answer, to refresh gauges read at scrape time.
    ///   - clock: times the idle limit; `ServerClock.system` outside tests.
    public init(
        host: String, port: Int, registry: PrometheusCollectorRegistry,
        readiness: @escaping @Sendable () -> Readiness, beforeScrape: (@Sendable () -> Void)? = nil,
        limits: ObservabilityLimits = ObservabilityLimits(), clock: ServerClock = .system,
        group: any EventLoopGroup, logger: Logger
    ) {
        self.host = host
        self.port = port
        routes = ObservabilityRoutes(registry: registry, readiness: readiness, beforeScrape: beforeScrape)
        self.limits = limits
        self.clock = clock
        self.group = group
        self.logger = logger
    }

    /// The bound address, once `start()` has succeeded.
    public var localAddress: SocketAddress? { listener.withLock { $0?.localAddress } }

    /// Binds the listener (once; later calls return the same address).
    @discardableResult
    public func start() async throws -> SocketAddress {
        if let localAddress { return localAddress }
        let channel = try await ListenerBootstrap.bind(host: host, port: port, group: group) { [self] channel in
            connections.track(channel)
            try configure(channel)
        }
        guard let bound = channel.localAddress else {
            channel.close(promise: nil)
            throw ChannelError.unknownLocalAddress
        }
        listener.withLock { $0 = channel }
        logger.info("observability listening", metadata: ["address": "\(bound)"])
        return bound
    }

    public func run() async throws {
        try await start()
        try? await gracefulShutdown()
        await close()
    }

    /// Stops accepting, then closes every open connection.
    public func close() async {
        let open = listener.withLock { channel in
            defer { channel = nil }
            return channel
        }
        try? await open?.close()
        connections.closeAll()
    }

    private func configure(_ channel: any Channel) throws {
        let pipeline = channel.pipeline.syncOperations
        let remote = "\(channel.remoteAddress.map { "\($0)" } ?? "?")"
        try pipeline.addHandler(
            ReadTimeoutHandler(clock: clock, timeout: limits.idleTimeout) { [logger] in
                logger.debug("observability connection idle, closing", metadata: ["conn.remote": "\(remote)"])
            })
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        decoderLimits.maxHeaderFieldSize = limits.maxHeaderBytes
        decoderLimits.maxHeaderListSize = limits.maxHeaderBytes
        try pipeline.configureHTTPServerPipeline(
            withEncoderConfiguration: HTTPResponseEncoder.Configuration(),
            withDecoderLimitConfiguration: decoderLimits)
        try pipeline.addHandler(
            ObservabilityRequestHandler(routes: routes, maxBodyBytes: limits.maxRequestBodyBytes, logger: logger))
    }
}
