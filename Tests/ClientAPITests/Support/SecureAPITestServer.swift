import APICore
import Foundation
import Logging
import PeerStore
import Rendezvous
import RendezvousProtocol
import RustDeskCore
import TestSupport

/// hbbs with secure TCP offered on PORT (the spec's test key) and, unless `api` is false, the client
/// API; a frozen `TestClock` drives every connection timer, and the idle limit is long so that only
/// the timers a test is about (heartbeats, token re-checks) matter when it moves time on.
final class SecureAPITestServer: Sendable {
    static let signingKey = SpecTestKey.server

    let directory: TemporaryDirectory
    let store: SQLitePeerStore
    let hbbs: HbbsServer
    let clock: TestClock
    let rendezvousPort: Int
    /// nil when the API is off.
    let apiPort: Int?

    init(api: Bool = true) async throws {
        let directory = try TemporaryDirectory()
        self.directory = directory
        let clock = TestClock()
        self.clock = clock
        store = try SQLitePeerStore(location: DatabaseLocation(path: directory.file("db_v2.sqlite3")))
        var settings = RendezvousSettings(port: 0)
        settings.bind = IPAddress("127.0.0.1")
        settings.signingSecretKey = Self.signingKey.secretKey
        settings.connectionTimeout = .seconds(3600)
        var logger = Logger(label: "test-secure-api")
        logger.logLevel = .critical
        var environment = HbbsServer.Environment()
        environment.clock = clock.serverClock
        let options = HbbsAPI.Options(
            port: 0, adminPassword: APITestServer.adminPassword, recordingsDirectory: directory.file("recordings"),
            hasher: .fastForTests)
        hbbs = try HbbsServer(
            settings: settings, store: store, api: api ? (options, store.apiStore) : nil, environment: environment,
            logger: logger)
        rendezvousPort = try await hbbs.start().port
        apiPort = hbbs.api?.server.localAddress?.port
        let server = hbbs.api?.server
        Task { try? await server?.run() }
    }

    /// A connection to PORT secured as the client's `secure_tcp` does.
    func secureClient() async throws -> SecureTCPTestClient {
        let client = try await SecureTCPTestClient(port: rendezvousPort)
        try await client.handshake(serverPublicKey: Self.signingKey.publicKey)
        return client
    }

    /// A client of the HTTP listener (PORT−2).
    func httpClient() async throws -> RustDeskAPIClient {
        guard let apiPort else { throw TestTimeout(what: "an API port") }
        return try await RustDeskAPIClient(port: apiPort)
    }

    /// A counter or gauge as `/metrics` shows it; -1 when not exported.
    func metric(_ name: String, _ labels: [String: String] = [:]) -> Int {
        hbbs.services.metrics.registry.value(name, labels).map { Int($0) } ?? -1
    }

    func stop() async {
        hbbs.api?.server.close()
        await hbbs.listeners.close()
        await hbbs.api?.eventLoops.shutdown()
        await store.shutdown()
    }
}

extension SecureTCPTestClient {
    /// One HttpProxyRequest as the client's `tcp_proxy_request` builds it, and the one answer.
    func proxy(
        _ method: String, _ path: String, headers: [(String, String)] = [("Content-Type", "application/json")],
        body: String = ""
    ) async throws -> Hbb_HttpProxyResponse {
        try await send(
            .with {
                $0.httpProxyRequest = .with {
                    $0.method = method
                    $0.path = path
                    $0.headers = headers.map { name, value in
                        .with {
                            $0.name = name
                            $0.value = value
                        }
                    }
                    $0.body = Data(body.utf8)
                }
            })
        let answer = try await receive()
        guard case .httpProxyResponse(let response) = answer.union else {
            throw UnexpectedAnswer(answer: answer)
        }
        return response
    }
}

struct UnexpectedAnswer: Error {
    let answer: Hbb_RendezvousMessage
}

extension Hbb_HttpProxyResponse {
    var text: String { String(decoding: body, as: UTF8.self) }

    var object: [String: any Sendable]? {
        (try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])) as? [String: any Sendable]
    }

    /// The value of the first header named `name`, ignoring case.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
