import Logging
import NIOCore
import NIOPosix
import RendezvousCore
import RustDeskCore
import ServiceLifecycle

/// The relay health check (spec/hbbs.md §9.2): while two or more relays are configured, probes every configured
/// entry by TCP connect and hands the entries that answered to `RelaySelector.updateHealthy`. Owns no state of
/// its own (the lists live in `RelaySelector`); hbbs runs it as a `Service` in its `ServiceGroup`.
public struct RelayHealthChecker: Service {
    /// Timings and the default relay port; tests shorten them.
    public struct Settings: Sendable {
        /// Time between the starts of two checks (3 s).
        public var interval: Duration
        /// Limit on each connect attempt (3 s).
        public var connectTimeout: TimeAmount
        /// Port probed when an entry names none: hbbr's fixed default, independent of PORT.
        public var defaultRelayPort: UInt16

        public init(
            interval: Duration = .seconds(3),
            connectTimeout: TimeAmount = .seconds(3),
            defaultRelayPort: UInt16 = 21117
        ) {
            self.interval = interval
            self.connectTimeout = connectTimeout
            self.defaultRelayPort = defaultRelayPort
        }
    }

    private let relays: RelaySelector
    private let resolver: ServerListResolver
    private let group: any EventLoopGroup
    private let threadPool: NIOThreadPool
    private let settings: Settings
    private let logger: Logger

    public init(
        relays: RelaySelector,
        resolver: ServerListResolver,
        group: any EventLoopGroup,
        threadPool: NIOThreadPool,
        settings: Settings = Settings(),
        logger: Logger
    ) {
        self.relays = relays
        self.resolver = resolver
        self.group = group
        self.threadPool = threadPool
        self.settings = settings
        self.logger = logger
    }

    /// Checks at once, then every `interval` until graceful shutdown or cancellation. A check that overruns the
    /// interval delays the next one instead of overlapping it (the reference may overlap; the outcome is the same).
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                let clock = ContinuousClock()
                var next = clock.now
                while true {
                    await checkOnce()
                    next = max(next.advanced(by: settings.interval), clock.now)
                    try await Task.sleep(until: next, clock: clock)
                }
            }
        } catch is CancellationError {
            logger.debug("Relay health checker stopped")
        }
    }

    /// One round: nil when fewer than two relays are configured (nothing probed) or the task was cancelled;
    /// otherwise the entries that connected, in completion order (also stored unless empty).
    @discardableResult
    public func checkOnce() async -> [String]? {
        let configured = relays.configured
        guard configured.count >= 2 else { return nil }
        let live = await withTaskGroup(of: String?.self) { probes in
            for entry in configured {
                probes.addTask { await isReachable(entry) ? entry : nil }
            }
            var live: [String] = []
            for await case let entry? in probes { live.append(entry) }
            return live
        }
        guard !Task.isCancelled else { return nil }
        // A console `rs` during the round has already reset the healthy list; stale results must not undo it.
        if relays.configured == configured {
            relays.updateHealthy(live)
        }
        logger.debug(
            "Relay health check finished",
            metadata: ["relays.configured": "\(configured)", "relays.live": "\(live)"]
        )
        return live
    }

    /// Tries the entry's addresses one after another, each with its own timeout, as the reference's connect does.
    private func isReachable(_ entry: String) async -> Bool {
        let addresses: [SocketAddress]
        do {
            addresses = try await resolver.addresses(
                of: entry,
                defaultPort: settings.defaultRelayPort,
                on: threadPool
            )
        } catch {
            logger.debug("Relay does not resolve", metadata: ["relay": "\(entry)", "error": "\(error)"])
            return false
        }
        for address in addresses {
            if Task.isCancelled { return false }
            if await connects(to: address) { return true }
        }
        logger.debug("Relay unreachable", metadata: ["relay": "\(entry)"])
        return false
    }

    private func connects(to address: SocketAddress) async -> Bool {
        let connection = ClientBootstrap(group: group)
            .connectTimeout(settings.connectTimeout)
            .connect(to: address)
        // The probe only proves the port accepts; hbbr sees a connection that never sent its first frame.
        connection.whenSuccess { $0.close(promise: nil) }
        let connected = await OneShotContinuation<Bool>.value { oneShot in
            connection.whenComplete { result in
                if case .success = result { oneShot.resume(true) } else { oneShot.resume(false) }
            }
        }
        return connected ?? false
    }
}
