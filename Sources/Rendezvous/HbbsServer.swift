import APICore
import ClientAPI
import Foundation
import Logging
import NIOCore
import NIOPosix
import Observability
import PeerStore
import Prometheus
import RendezvousCore
import RustDeskCore
import RustDeskNIO
import ServiceLifecycle
import Synchronization

/// hbbs assembled: the composition root the executable and the tests share (spec/hbbs.md §3.1). It
/// loads every peer from the store into the registry, builds the owners and the listeners; `start()`
/// binds, and `servicesToRun` go into one `ServiceGroup`, the store first so that it stops last.
public final class HbbsServer: Sendable {
    /// What production takes from the system and tests replace.
    public struct Environment: Sendable {
        public var clock: ServerClock = .system
        public var group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
        public var blockingPool: NIOThreadPool = .singleton
        /// Unix time in seconds (console `pr`).
        public var wallClockSeconds: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
        /// Parses a server list and keeps the entries that resolve (console `rs`, ConfigUpdate). Blocks.
        public var resolveServerList: @Sendable (_ list: [String], _ option: String) -> [String] = { list, _ in list }
        /// How relays are probed by the health checker; nil = no health checks (tests).
        public var relayResolver: ServerListResolver?
        /// Called once when the UDP self-test finally fails; hbbs then exits (spec/hbbs.md §3.2).
        public var onSelfTestFailure: @Sendable (SelfTestError) -> Void = { _ in }
        /// Wall-clock seconds for sessions, audit records and TOTP.
        public var apiClock: APIClock = .system

        public init() {}
    }

    public let services: RendezvousServices
    public let listeners: RendezvousServer
    /// `/metrics`, `/healthz` and `/readyz` (docs/operations.md); nil when METRICS_ADDR is `off`.
    public let observability: ObservabilityServer?
    /// The client API (http-api.md) on API_PORT; nil when it is `off`.
    public let api: HbbsAPI?
    private let storeService: (any Service)?
    private let environment: Environment
    private let testHbbs: String
    private let logger: Logger
    /// The self-test watchdog, built once `start()` knows the TCP PORT listener's address.
    private let selfTest = WatchdogSlot()

    /// Production wiring from the parsed configuration and the resolved keys: the SQLite database,
    /// DNS-filtered server lists (DNS blocks, but nothing serves yet), the system clock.
    public convenience init(
        configuration: HbbsConfiguration, keys: HbbsKeySettings,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), logger: Logger,
        onSelfTestFailure: @escaping @Sendable (SelfTestError) -> Void
    ) throws(HbbsStartupError) {
        let metrics = RendezvousMetrics(registry: registry)
        let store: SQLitePeerStore
        do {
            let commitTime = metrics.storeCommit
            store = try SQLitePeerStore(
                location: DatabaseLocation(dbURL: configuration.databaseURL),
                onCommit: { _, duration in commitTime.record(duration) })
        } catch {
            throw .database(error)
        }
        let resolver = ServerListResolver(logger: logger)
        let settings = RendezvousSettings(
            configuration: configuration, keys: keys,
            relayServers: resolver.resolve(entries: configuration.relayServers, option: "relay-servers"),
            rendezvousServers: resolver.resolve(entries: configuration.rendezvousServers, option: "rendezvous-servers"))
        var environment = Environment()
        environment.resolveServerList = { resolver.resolve(entries: $0, option: $1) }
        environment.relayResolver = resolver
        environment.onSelfTestFailure = onSelfTestFailure
        try self.init(
            settings: settings, store: store, storeService: store, testHbbs: configuration.testHbbs,
            metricsAddress: configuration.metricsAddress,
            api: HbbsAPI.Options(configuration.api).map { ($0, store.apiStore) },
            metrics: metrics, environment: environment, logger: logger)
        logger.info("database", metadata: ["db": "\(store.location.path)"])
    }

    /// The wiring with everything injectable. `storeService` is the store's writer when this server
    /// should run and stop it (listed first among `servicesToRun`); `testHbbs` is TEST_HBBS ("" = the
    /// TCP PORT listener, "no" = no self-test); `metricsAddress` nil serves no metrics; `api` nil serves no
    /// client API.
    public init(
        settings: RendezvousSettings, store: any PeerStore, storeService: (any Service)? = nil, testHbbs: String = "no",
        metricsAddress: MetricsAddress? = nil, api: (options: HbbsAPI.Options, store: any APIStore)? = nil,
        metrics: RendezvousMetrics = RendezvousMetrics(),
        environment: Environment = Environment(), logger: Logger
    ) throws(HbbsStartupError) {
        let registry = PeerRegistry()
        do {
            let summary = try PeerLoader.load(from: store, into: registry, now: environment.clock.now())
            logger.info("peers loaded", metadata: ["peers": "\(summary.loaded)", "skipped": "\(summary.skipped)"])
        } catch {
            throw .database(error)
        }
        let tables = RendezvousTables(
            relayServers: settings.relayServers, alwaysUseRelay: settings.alwaysUseRelay, registry: registry)
        // Before the rendezvous services, which reach it for HttpProxyRequest and HealthCheck.
        let hbbsAPI = api.map { options, apiStore in
            HbbsAPI(
                options: options, store: apiStore,
                devices: RegistryDevices(registry: registry, clock: environment.clock),
                deployment: RegistryDeployment(registry: registry, store: store, clock: environment.clock),
                bind: settings.bind,
                trustedProxies: settings.trustedProxies, metrics: APIMetrics(registry: metrics.registry),
                clock: environment.apiClock,
                blockingPool: environment.blockingPool, logger: logger)
        }
        self.api = hbbsAPI
        let resolve = environment.resolveServerList
        services = RendezvousServices(
            settings: settings, tables: tables, store: store, metrics: metrics, logger: logger,
            clock: environment.clock, blockingPool: environment.blockingPool,
            resolveServerList: { resolve($0, "rendezvous-servers") }, api: hbbsAPI?.rendezvousAccess)
        let console = HbbsConsole(
            tables: tables, now: environment.clock.now, wallClockSeconds: environment.wallClockSeconds,
            resolveServerList: { resolve(ServerList.split($0), "relay-servers") })
        listeners = RendezvousServer(
            services: services, group: environment.group, threadPool: environment.blockingPool,
            console: console.execute)
        let services = services
        let listeners = listeners
        let selfTest = selfTest
        observability = metricsAddress.map { address in
            ObservabilityServer(
                host: address.hostLiteral, port: address.port, registry: metrics.registry,
                readiness: { Self.readiness(services, listeners, hbbsAPI, selfTest.watchdog) },
                beforeScrape: { metrics.refreshGauges(services) }, clock: environment.clock, group: environment.group,
                logger: logger)
        }
        self.storeService = storeService
        self.environment = environment
        self.testHbbs = testHbbs
        self.logger = logger
        logger.info("secure TCP", metadata: ["offered": "\(settings.secureTCPSigningKey != nil)"])
    }

    /// Binds every listener and prepares the self-test against the bound TCP PORT.
    @discardableResult
    public func start() async throws(HbbsStartupError) -> RendezvousServer.BoundPorts {
        // The API first: creating the administrator hashes a password, and clients that see the
        // rendezvous ports answer should find the API ready too.
        try await api?.start()
        let ports: RendezvousServer.BoundPorts
        do {
            ports = try await listeners.start()
        } catch {
            api?.server.close()
            throw .listen(port: services.settings.port, error)
        }
        let target: SelfTestTarget?
        do {
            target = try SelfTestTarget.make(testHbbs: testHbbs, listenerAddress: ports.mainListener)
        } catch {
            throw .selfTestTarget(error)
        }
        let logger = logger
        let onFailure = environment.onSelfTestFailure
        let watchdog = SelfTestWatchdog(target: target, group: environment.group, logger: logger) { error in
            logger.error(
                "UDP self-test failed: the rendezvous port does not answer; exiting", metadata: ["error": "\(error)"])
            onFailure(error)
        }
        selfTest.watchdog = watchdog
        if let observability {
            do {
                let address = try await observability.start()
                logger.info("metrics", metadata: ["address": "\(address)"])
            } catch {
                api?.server.close()
                await listeners.close()
                throw .metricsListen(error)
            }
        }
        return ports
    }

    /// Ready for clients: every listener bound and the UDP port receiving, the UDP port answering the
    /// self-test's probes (when it runs), the store accepting writes, and the client API listening.
    private static func readiness(
        _ services: RendezvousServices, _ listeners: RendezvousServer, _ api: HbbsAPI?, _ selfTest: SelfTestWatchdog?
    ) -> Readiness {
        var reasons: [String] = []
        if !listeners.isServing { reasons.append("listeners are not serving") }
        if selfTest?.udpPortAnswers() == false { reasons.append("the UDP port does not answer the self-test") }
        if !services.store.acceptsWrites { reasons.append("the peer store does not accept writes") }
        if let api, !api.server.isListening { reasons.append("the client API is not listening") }
        return reasons.isEmpty ? .ready : .notReady(reasons: reasons)
    }

    /// What the executable runs in its `ServiceGroup`, after `start()`. The group stops them in reverse
    /// order: the self-test and health checks first, then the listeners (which stop receiving, flush
    /// the store and close the UDP socket), and the store's writer last.
    public var servicesToRun: [any Service] {
        var list: [any Service] = []
        if let storeService { list.append(storeService) }
        list.append(listeners)
        // After the listeners, so it stops before them: no new API request finds the rendezvous side gone.
        if let api { list.append(contentsOf: api.servicesToRun) }
        if let resolver = environment.relayResolver {
            list.append(
                RelayHealthChecker(
                    relays: services.tables.relays, resolver: resolver, group: environment.group,
                    threadPool: environment.blockingPool, logger: logger))
        }
        if let watchdog = selfTest.watchdog { list.append(watchdog) }
        // Last, so it stops first: /readyz goes away before the listeners do.
        if let observability { list.append(observability) }
        return list
    }
}

/// Holds the watchdog that `start()` builds, for `servicesToRun` and the readiness check.
private final class WatchdogSlot: Sendable {
    /// Guards the watchdog, set once by `start()`.
    private let slot = Mutex<SelfTestWatchdog?>(nil)

    var watchdog: SelfTestWatchdog? {
        get { slot.withLock { $0 } }
        set { slot.withLock { $0 = newValue } }
    }
}
