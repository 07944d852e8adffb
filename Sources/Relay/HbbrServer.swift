import Logging
import NIOCore
import NIOPosix
import Observability
import Prometheus
import RelayCore
import RustDeskCore
import RustDeskNIO
import ServiceLifecycle

/// hbbr assembled: the composition root the executable and the tests share. It turns the parsed
/// configuration into the relay's controls (block/black lists, bandwidth), listeners and metrics;
/// `start()` binds, and `servicesToRun` go into one `ServiceGroup`.
public struct HbbrServer: Sendable {
    public let relay: RelayServer
    /// `/metrics`, `/healthz` and `/readyz`; nil when METRICS_ADDR is `off`.
    public let observability: ObservabilityServer?
    public var controls: RelayControls { relay.controls }
    public var metrics: HbbrMetrics { relay.metrics }
    /// Where the metrics listener was asked to bind, for the startup error.
    private let metricsAddressSetting: MetricsAddress?

    /// Production wiring: the lists from the working directory (hbbr.md §3), the licence key from the
    /// resolved key pair, and one event loop (see `relayEventLoops`).
    public init(
        configuration: HbbrConfiguration, licenceKey: String,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), logger: Logger
    ) {
        let blacklist = RelayListFiles.load(RelayListFiles.blacklistFile)
        let blocklist = RelayListFiles.load(RelayListFiles.blocklistFile)
        logger.info("lists loaded", metadata: ["blacklist": "\(blacklist.count)", "blocklist": "\(blocklist.count)"])
        let controls = RelayControls(configuration: configuration, blacklist: blacklist, blocklist: blocklist)
        Self.logBandwidth(controls, logger: logger)
        var settings = RelaySettings(port: configuration.port, bind: configuration.bind)
        settings.licenceKey = licenceKey
        settings.trustedProxies = configuration.trustedProxies
        self.init(
            settings: settings, controls: controls, registry: registry, metricsAddress: configuration.metricsAddress,
            group: Self.relayEventLoops, logger: logger)
    }

    /// The wiring with everything injectable: tests pass their clock (which `controls.now` must read
    /// too), ports, settings and registry, and `127.0.0.1:0` (or nil) for the metrics listener.
    public init(
        settings: RelaySettings, controls: RelayControls,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), metricsAddress: MetricsAddress?,
        clock: ServerClock = .system, group: any EventLoopGroup, logger: Logger
    ) {
        let metrics = HbbrMetrics(registry: registry)
        let relay = RelayServer(
            settings: settings, controls: controls, metrics: metrics, clock: clock, group: group, logger: logger)
        self.relay = relay
        observability = metricsAddress.map { address in
            // Scrapes are answered on the relay's loop: they only read atomics and the waiting table's size.
            ObservabilityServer(
                host: address.hostLiteral, port: address.port, registry: registry,
                readiness: { relay.readiness },
                beforeScrape: { metrics.refreshGauges(waitingHalves: relay.waitingCount) },
                clock: clock, group: group, logger: logger)
        }
        metricsAddressSetting = metricsAddress
    }

    /// One event loop: both halves of every pair then live on the same thread, so forwarding needs no
    /// cross-thread hop and backpressure is exact. One loop relays far more than the default
    /// TOTAL_BANDWIDTH, and two loops on two cores did worse (docs/performance.md).
    static let relayEventLoops: any EventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Binds the relay listeners, then the metrics listener; returns the relay port. On a metrics
    /// failure the relay listeners are closed again, so nothing is left half started.
    @discardableResult
    public func start() async throws(HbbrStartupError) -> Int {
        let port: Int
        do {
            port = try await relay.start()
        } catch {
            throw .listen(port: relay.settings.port, error)
        }
        if let observability, let address = metricsAddressSetting {
            do {
                try await observability.start()
            } catch {
                await relay.close()
                throw .listenMetrics(address: address, error)
            }
        }
        return port
    }

    /// The bound metrics address, once `start()` has succeeded; nil when metrics are off.
    public func metricsAddress() -> SocketAddress? { observability?.localAddress }

    /// What the executable runs in its `ServiceGroup`, in start order (the group stops them in reverse):
    /// the metrics listener stops first, so no probe finds hbbr ready while the relay is closing.
    public var servicesToRun: [any Service] { [relay] + (observability.map { [$0] } ?? []) }

    private static func logBandwidth(_ controls: RelayControls, logger: Logger) {
        func megabits(_ bytes: Int) -> String { RustFloatDisplay.text(Double(bytes) / 1024 / 1024) + "Mb/s" }
        logger.info(
            "bandwidth",
            metadata: [
                "DOWNGRADE_THRESHOLD": "\(RustFloatDisplay.text(Double(controls.downgradeThresholdPercent) / 100))",
                "DOWNGRADE_START_CHECK": "\(controls.downgradeStartCheck / 1000)s",
                "LIMIT_SPEED": "\(megabits(controls.limitSpeed))",
                "TOTAL_BANDWIDTH": "\(megabits(controls.totalBandwidth))",
                "SINGLE_BANDWIDTH": "\(megabits(controls.singleBandwidth))",
            ])
    }
}
