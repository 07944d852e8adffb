import ArgumentParser
import Relay
import RustDeskCore
import ServerSupport

/// hbbr: the RustDesk relay server. Start-up follows spec/hbbr.md §3: configuration and key, the
/// block/black lists from the working directory, the listeners (relay, then metrics), then serve
/// until SIGTERM.
@main
struct Hbbr: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hbbr", abstract: "RustDesk relay server (rustdesk-server-swift)",
        version: "hbbr \(BuildInfo.versionDescription)")

    @OptionGroup var commandLine: HbbrCommandLine

    func run() async throws {
        let configuration = StartupFailure.onError("error: ") { try commandLine.configuration() }
        let logger = LoggingBootstrap.start(
            label: "hbbr", level: configuration.logLevel, warnings: configuration.warnings)
        let registry = MetricsBootstrap.start()
        let keys = await StartupFailure.onError {
            try await ServerKey.resolveForHbbr(key: configuration.key, directory: ".")
        }
        if let warning = keys.warning { logger.warning("\(warning)") }
        if !keys.licenceKey.isEmpty { logger.info("Key: \(keys.licenceKey)") }

        let server = HbbrServer(
            configuration: configuration, licenceKey: keys.licenceKey, registry: registry, logger: logger)
        do {
            try await server.start()
        } catch {
            StartupFailure.exit(error.description)
        }
        try await ServerRunner.run(services: server.servicesToRun, logger: logger)
        logger.info("stopped")
    }
}
