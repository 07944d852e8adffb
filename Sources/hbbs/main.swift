import ArgumentParser
import Rendezvous
import RustDeskCore
import ServerSupport

/// hbbs: the RustDesk ID/rendezvous server. Start-up follows spec/hbbs.md §3.1: configuration and
/// keys, then `HbbsServer` (the database, every peer loaded into memory, the listeners), then the
/// background services until SIGTERM.
@main
struct Hbbs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hbbs", abstract: "RustDesk ID/rendezvous server (rustdesk-server-swift)",
        version: "hbbs \(BuildInfo.versionDescription)")

    @OptionGroup var commandLine: HbbsCommandLine

    func run() async throws {
        let configuration = StartupFailure.onError("error: ") { try commandLine.configuration() }
        let logger = LoggingBootstrap.start(
            label: "hbbs", level: configuration.logLevel, warnings: configuration.warnings)
        let registry = MetricsBootstrap.start()
        let keys = StartupFailure.onError { try ServerKey.resolveForHbbs(key: configuration.key, directory: ".") }
        if let warning = keys.warning { logger.warning("\(warning)") }
        if !keys.licenceKey.isEmpty { logger.info("Key: \(keys.licenceKey)") }

        let server: HbbsServer
        do {
            server = try HbbsServer(
                configuration: configuration, keys: keys, registry: registry, logger: logger
            ) { error in
                StartupFailure.exit("Fatal error: UDP self-test failed: \(error)")
            }
            try await server.start()
        } catch {
            StartupFailure.exit(error.description)
        }
        try await ServerRunner.run(services: server.servicesToRun, logger: logger)
        logger.info("stopped")
    }
}
