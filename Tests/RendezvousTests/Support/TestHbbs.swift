import Foundation
import Logging
import NIOCore
import NIOPosix
import PeerStore
import RendezvousCore
import RustDeskCore
import Synchronization
import TestSupport

@testable import Rendezvous

/// hbbs started in-process on free ports with its own database and a manual clock.
final class TestHbbs: Sendable {
    static let signingKey = SpecTestKey.server

    let directory: TemporaryDirectory
    let store: SQLitePeerStore
    /// The same composition root the executable runs.
    let hbbs: HbbsServer
    /// Frozen: registration rules and every connection timer move only when a test advances it.
    let clock: TestClock
    let port: Int

    var services: RendezvousServices { hbbs.services }
    var server: RendezvousServer { hbbs.listeners }
    var natPort: Int { port - 1 }
    var metrics: RendezvousMetrics { services.metrics }

    /// A counter's value as `/metrics` would show it; -1 when the series is not exported.
    func count(_ name: String, _ labels: [String: String] = [:]) -> Int {
        metrics.registry.value(name, labels).map { Int($0) } ?? -1
    }

    /// - Parameters:
    ///   - configure: adjusts settings (port 0, test key, short timeouts preset).
    ///   - storeOverride: a fake store instead of the SQLite writer (the database is still opened, and
    ///     peers load from the fake).
    init(
        directory: TemporaryDirectory? = nil, configure: (inout RendezvousSettings) -> Void = { _ in },
        storeOverride: (any PeerStore)? = nil, clock: TestClock = TestClock(), metricsAddress: MetricsAddress? = nil
    ) async throws {
        let directory = try directory ?? TemporaryDirectory()
        self.directory = directory
        self.clock = clock
        store = try SQLitePeerStore(location: DatabaseLocation(path: directory.file("db_v2.sqlite3")))
        var settings = RendezvousSettings(port: 0)
        settings.bind = IPAddress("127.0.0.1")
        settings.licenceKey = Self.signingKey.publicKeyString
        settings.signingSecretKey = Self.signingKey.secretKey
        configure(&settings)
        var logger = Logger(label: "test-hbbs")
        logger.logLevel = .critical
        var environment = HbbsServer.Environment()
        environment.clock = clock.serverClock
        hbbs = try HbbsServer(
            settings: settings, store: storeOverride ?? store, metricsAddress: metricsAddress, environment: environment,
            logger: logger)
        port = try await hbbs.start().port
    }

    /// The bound metrics listener's port, when a metrics address was asked for.
    var metricsPort: Int? { hbbs.observability?.localAddress?.port }

    func stop() async {
        await hbbs.observability?.close()
        await server.close()
        await store.shutdown()
    }
}

extension TestHbbs {
    /// A web client on PORT+2 (`/ws/id`), from `source` when given.
    func connectWebSocket(from source: String? = nil, headers: [(String, String)] = []) async throws
        -> WebSocketTestClient
    {
        try await WebSocketTestClient(port: port + 2, path: "/ws/id", from: source, headers: headers)
    }
}
