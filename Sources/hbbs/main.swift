import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PeerStore
import Rendezvous
import RendezvousCore
import RustDeskCore
import ServerSupport
import ServiceLifecycle

/// hbbs: the RustDesk ID/rendezvous server. Start-up follows spec/hbbs.md §3.1: configuration and
/// keys, the database (every peer loaded into memory), the listeners, then the background services.
@main
struct Hbbs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hbbs", abstract: "RustDesk ID/rendezvous server (rustdesk-server-swift)")

    @OptionGroup var commandLine: HbbsCommandLine

    func run() async throws {
        let configuration = StartupFailure.onError("error: ") { try commandLine.configuration() }
        let logger = LoggingBootstrap.start(
            label: "hbbs", level: configuration.logLevel, warnings: configuration.warnings)
        let keys = StartupFailure.onError { try ServerKey.resolveForHbbs(key: configuration.key, directory: ".") }
        if let warning = keys.warning { logger.warning("\(warning)") }
        if !keys.licenceKey.isEmpty { logger.info("Key: \(keys.licenceKey)") }

        let store: SQLitePeerStore
        let registry = PeerRegistry()
        do {
            store = try SQLitePeerStore(location: DatabaseLocation(dbURL: configuration.databaseURL))
            let summary = try PeerLoader.load(from: store, into: registry, now: MonotonicClock.now())
            logger.info(
                "peers loaded",
                metadata: [
                    "db": "\(store.location.path)", "peers": "\(summary.loaded)",
                    "skipped": "\(summary.skipped)",
                ])
        } catch {
            StartupFailure.exit("Fatal error: cannot open database: \(error)")
        }

        // Lists keep only entries that resolve now (spec/hbbs.md §2.2); DNS blocks, but nothing serves yet.
        let resolver = ServerListResolver(logger: logger)
        let relayServers = resolver.resolve(entries: configuration.relayServers, option: "relay-servers")
        let rendezvousServers = resolver.resolve(entries: configuration.rendezvousServers, option: "rendezvous-servers")

        var settings = RendezvousSettings(port: configuration.port)
        settings.bind = configuration.bind
        settings.licenceKey = keys.licenceKey
        settings.signingSecretKey = keys.signingSecretKey
        settings.serial = configuration.serial
        settings.rendezvousServers = rendezvousServers
        settings.softwareURL = configuration.softwareURL
        settings.relayServers = relayServers
        settings.udpReceiveBufferSize = configuration.rmem
        settings.mask = configuration.mask
        settings.localIP = configuration.localIP ?? ""
        settings.alwaysUseRelay = configuration.alwaysUseRelay
        settings.secureTCP = configuration.secureTCP
        settings.trustedProxies = configuration.trustedProxies
        logger.info("secure TCP", metadata: ["offered": "\(settings.secureTCPSigningKey != nil)"])

        let tables = RendezvousTables(
            relayServers: settings.relayServers, alwaysUseRelay: settings.alwaysUseRelay, registry: registry)
        let services = RendezvousServices(
            settings: settings, tables: tables, store: store, metrics: RendezvousMetrics(), logger: logger,
            resolveServerList: { resolver.resolve(entries: $0, option: "rendezvous-servers") })
        let console = HbbsConsole(
            tables: tables, now: MonotonicClock.now, wallClockSeconds: { Int64(Date().timeIntervalSince1970) },
            resolveServerList: { resolver.resolve($0, option: "relay-servers") })
        let group = MultiThreadedEventLoopGroup.singleton
        let server = RendezvousServer(services: services, group: group, console: console.execute)
        let ports: RendezvousServer.BoundPorts
        do {
            ports = try await server.start()
        } catch {
            StartupFailure.exit("Fatal error: cannot listen on port \(configuration.port): \(error)")
        }

        let selfTestTarget: SelfTestTarget?
        do {
            selfTestTarget = try SelfTestTarget.make(
                testHbbs: configuration.testHbbs, listenerAddress: ports.mainListener)
        } catch {
            StartupFailure.exit("error: invalid TEST_HBBS: \(error)")
        }
        let selfTest = SelfTestWatchdog(target: selfTestTarget, group: group, logger: logger) { error in
            logger.error(
                "UDP self-test failed: the rendezvous port does not answer; exiting", metadata: ["error": "\(error)"])
            StartupFailure.exit("Fatal error: UDP self-test failed: \(error)")
        }
        let healthChecker = RelayHealthChecker(
            relays: tables.relays, resolver: resolver, group: group, threadPool: .singleton, logger: logger)
        // The store first: the group stops services in reverse order, so it commits and closes after the
        // server has stopped receiving and answered what it took.
        try await ServerRunner.run(services: [store, server, healthChecker, selfTest], logger: logger)
        logger.info("stopped")
    }
}
