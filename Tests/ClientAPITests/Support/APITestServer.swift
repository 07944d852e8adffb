import APICore
import ClientAPI
import Foundation
import Logging
import PeerStore
import Rendezvous
import RendezvousProtocol
import RustDeskCore
import Synchronization
import TestSupport

/// hbbs with its client API, started in-process on free ports with its own database, a cheap password
/// hash and a wall clock the test moves.
final class APITestServer: Sendable {
    let directory: TemporaryDirectory
    let store: SQLitePeerStore
    let hbbs: HbbsServer
    let wallClock: WallClock
    let apiPort: Int
    let rendezvousPort: Int
    /// Set once the API server's `run()` has returned.
    private let served = Atomic(false)

    static let adminPassword = "admin-secret-1"

    var api: HbbsAPI {
        guard let api = hbbs.api else { fatalError("the API is configured") }
        return api
    }

    init(
        directory: TemporaryDirectory? = nil, adminPassword: String? = adminPassword, sessionDays: Int = 30,
        limits: APIServer.Limits = APIServer.Limits(), mustLogin: Bool = false, mail: MailConfiguration? = nil,
        publicURL: String? = nil, configure: (inout RendezvousSettings) -> Void = { _ in }
    ) async throws {
        let directory = try directory ?? TemporaryDirectory()
        self.directory = directory
        let wallClock = WallClock()
        self.wallClock = wallClock
        store = try SQLitePeerStore(location: DatabaseLocation(path: directory.file("db_v2.sqlite3")))
        var settings = RendezvousSettings(port: 0)
        settings.bind = IPAddress("127.0.0.1")
        configure(&settings)
        var logger = Logger(label: "test-api")
        logger.logLevel = .critical
        var environment = HbbsServer.Environment()
        environment.apiClock = APIClock { wallClock.seconds }
        var options = HbbsAPI.Options(
            port: 0, adminPassword: adminPassword, sessionDays: sessionDays,
            recordingsDirectory: directory.file("recordings"), hasher: .fastForTests, limits: limits,
            mustLogin: mustLogin)
        options.mail = mail
        options.mailTimeout = .seconds(10)
        options.publicURL = publicURL
        hbbs = try HbbsServer(
            settings: settings, store: store, api: (options, store.apiStore), environment: environment, logger: logger)
        rendezvousPort = try await hbbs.start().port
        guard let port = hbbs.api?.server.localAddress?.port else { throw TestTimeout(what: "API port") }
        apiPort = port
        let server = hbbs.api?.server
        Task { [self] in
            try? await server?.run()
            served.store(true, ordering: .releasing)
        }
    }

    func client() async throws -> RustDeskAPIClient {
        try await RustDeskAPIClient(port: apiPort)
    }

    /// Stops the API as hbbs's graceful shutdown does, and waits until every connection is closed.
    func stopServing() async throws {
        hbbs.api?.server.close()
        guard await poll(timeout: .seconds(30), { served.load(ordering: .acquiring) }) else {
            throw TestTimeout(what: "the API server to stop")
        }
    }

    func stop() async {
        try? await stopServing()
        await hbbs.listeners.close()
        await hbbs.api?.eventLoops.shutdown()
        await store.shutdown()
    }
}

/// Unix seconds the test sets; starts at a fixed, realistic time.
final class WallClock: Sendable {
    /// Guards the current time.
    private let now = Mutex<Int64>(1_780_000_000)

    var seconds: Int64 { now.withLock { $0 } }

    func advance(seconds: Int64) {
        now.withLock { $0 += seconds }
    }
}

/// A device as the API sees it after it registered over UDP: its ID and the uuid in the form the
/// client sends over HTTP (base64 of the bytes it put in RegisterPk).
struct RegisteredTestDevice: Sendable {
    let id: String
    let uuidBase64: String
}

extension APITestServer {
    /// Registers a new device over UDP the way a client does (RegisterPk), and waits for hbbs's OK.
    func registerDevice(id: String = Messages.newID()) async throws -> RegisteredTestDevice {
        let uuid = Messages.newUUID()
        let peer = try await UDPTestPeer()
        defer { Task { await peer.close() } }
        try await peer.send(Messages.registerPk(id, uuid: uuid, pk: Messages.newPk()), to: rendezvousPort)
        let answer = try await peer.receive()
        guard answer.registerPkResponse.result == .ok else { throw RegistrationRefused(id: id) }
        return RegisteredTestDevice(id: id, uuidBase64: Data(uuid.utf8).base64EncodedString())
    }

    struct RegistrationRefused: Error {
        let id: String
    }
}
