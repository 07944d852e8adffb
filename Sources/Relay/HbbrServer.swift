import Logging
import NIOCore
import NIOPosix
import RelayCore
import RustDeskCore
import RustDeskNIO
import ServiceLifecycle

/// hbbr assembled: the composition root the executable and the tests share. It turns the parsed
/// configuration into the relay's controls (block/black lists, bandwidth) and listeners; `start()`
/// binds, and `servicesToRun` go into one `ServiceGroup`.
public struct HbbrServer: Sendable {
    public let relay: RelayServer
    public var controls: RelayControls { relay.controls }

    /// Production wiring: the lists from the working directory (hbbr.md §3), the licence key from the
    /// resolved key pair, and one event loop (see `relayEventLoops`).
    public init(configuration: HbbrConfiguration, licenceKey: String, logger: Logger) {
        let blacklist = RelayListFiles.load(RelayListFiles.blacklistFile)
        let blocklist = RelayListFiles.load(RelayListFiles.blocklistFile)
        logger.info("lists loaded", metadata: ["blacklist": "\(blacklist.count)", "blocklist": "\(blocklist.count)"])
        let controls = RelayControls(configuration: configuration, blacklist: blacklist, blocklist: blocklist)
        Self.logBandwidth(controls, logger: logger)
        var settings = RelaySettings(port: configuration.port, bind: configuration.bind)
        settings.licenceKey = licenceKey
        settings.trustedProxies = configuration.trustedProxies
        self.init(settings: settings, controls: controls, group: Self.relayEventLoops, logger: logger)
    }

    /// The wiring with everything injectable: tests pass their clock (which `controls.now` must read
    /// too), ports and settings.
    public init(
        settings: RelaySettings, controls: RelayControls, clock: ServerClock = .system, group: any EventLoopGroup,
        logger: Logger
    ) {
        relay = RelayServer(settings: settings, controls: controls, clock: clock, group: group, logger: logger)
    }

    /// One event loop: both halves of every pair then live on the same thread, so forwarding needs no
    /// cross-thread hop and backpressure is exact. One loop relays far more than the default
    /// TOTAL_BANDWIDTH, and two loops on two cores did worse (docs/performance.md).
    static let relayEventLoops: any EventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Binds the listeners; returns the relay port.
    @discardableResult
    public func start() async throws -> Int {
        try await relay.start()
    }

    /// What the executable runs in its `ServiceGroup`, in start order (the group stops them in reverse).
    public var servicesToRun: [any Service] { [relay] }

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
