import ArgumentParser
import Logging
import NIOPosix
import Relay
import RelayCore
import RustDeskCore
import ServerSupport

/// hbbr: the RustDesk relay server. Start-up follows spec/hbbr.md §3: configuration and key, the
/// block/black lists from the working directory, the listener, then serve until SIGTERM.
@main
struct Hbbr: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hbbr", abstract: "RustDesk relay server (rustdesk-server-swift)")

    @OptionGroup var commandLine: HbbrCommandLine

    func run() async throws {
        let configuration = StartupFailure.onError("error: ") { try commandLine.configuration() }
        let logger = LoggingBootstrap.start(
            label: "hbbr", level: configuration.logLevel, warnings: configuration.warnings)
        let keys = await StartupFailure.onError {
            try await ServerKey.resolveForHbbr(key: configuration.key, directory: ".")
        }
        if let warning = keys.warning { logger.warning("\(warning)") }
        if !keys.licenceKey.isEmpty { logger.info("Key: \(keys.licenceKey)") }

        let blacklist = RelayListFiles.load(RelayListFiles.blacklistFile)
        let blocklist = RelayListFiles.load(RelayListFiles.blocklistFile)
        logger.info("lists loaded", metadata: ["blacklist": "\(blacklist.count)", "blocklist": "\(blocklist.count)"])
        let controls = RelayControls(configuration: configuration, blacklist: blacklist, blocklist: blocklist)
        logger.info(
            "bandwidth",
            metadata: [
                "DOWNGRADE_THRESHOLD": "\(RustFloatDisplay.text(Double(controls.downgradeThresholdPercent) / 100))",
                "DOWNGRADE_START_CHECK": "\(controls.downgradeStartCheck / 1000)s",
                "LIMIT_SPEED": "\(RustFloatDisplay.text(Double(controls.limitSpeed) / 1024 / 1024))Mb/s",
                "TOTAL_BANDWIDTH": "\(RustFloatDisplay.text(Double(controls.totalBandwidth) / 1024 / 1024))Mb/s",
                "SINGLE_BANDWIDTH": "\(RustFloatDisplay.text(Double(controls.singleBandwidth) / 1024 / 1024))Mb/s",
            ])

        var settings = RelaySettings(port: configuration.port, bind: configuration.bind)
        settings.licenceKey = keys.licenceKey
        settings.trustedProxies = configuration.trustedProxies
        // One event loop: both halves of every pair then live on the same thread, so forwarding needs no
        // cross-thread hop and backpressure is exact. Measured here, one loop relays 16–23 Gbit/s per
        // server CPU-second with Jain fairness ≥ 0.98 at 1000 pairs; two loops on two cores did worse on
        // both (docs/performance.md). That is far above the default TOTAL_BANDWIDTH of 1 Gbit/s.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = RelayServer(settings: settings, controls: controls, group: group, logger: logger)
        do {
            try await server.start()
        } catch {
            StartupFailure.exit("Fatal error: cannot listen on port \(configuration.port): \(error)")
        }
        try await ServerRunner.run(services: [server], logger: logger)
        logger.info("stopped")
    }
}
