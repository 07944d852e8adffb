import Foundation
import RendezvousProtocol
import TestSupport
import Testing

@testable import Rendezvous

/// HealthCheck (messages.md §3.21) over the real wire: a logged-in client's secured PORT connection,
/// kept open with heartbeats while its token is valid and closed once it is not.
@Suite struct HealthCheckTests {
    static func healthCheck(_ token: String) -> Hbb_RendezvousMessage {
        .with { $0.hc = .with { $0.token = token } }
    }

    private func token(_ server: SecureAPITestServer) async throws -> String {
        let http = try await server.httpClient()
        defer { Task { await http.close() } }
        return try await http.token("admin", APITestServer.adminPassword)
    }

    @Test func validTokenKeepsTheConnectionWithHeartbeats() async throws {
        let server = try await SecureAPITestServer()
        let token = try await token(server)
        let client = try await server.secureClient()
        try await client.send(Self.healthCheck(token))
        #expect(await poll(timeout: .seconds(15)) { server.hbbs.services.healthChecks.count == 1 })
        // Heartbeats every 15 s, echoed; the token is checked again every 30 s and still holds.
        for _ in 0..<4 {
            await server.clock.advance(seconds: 15)
            #expect(await client.receiveRawPayload() == [])
            try await client.sendPayload([])
        }
        #expect(client.channel.isActive)
        // As a scrape would read it.
        server.hbbs.services.metrics.refreshGauges(server.hbbs.services)
        #expect(server.metric("hbbs_health_check_connections") == 1)
        #expect(server.metric("hbbs_health_check_refusals_total", ["reason": "revoked"]) == 0)
        await client.close()
        #expect(await poll(timeout: .seconds(15)) { server.hbbs.services.healthChecks.count == 0 })
        await server.stop()
    }

    @Test func invalidTokenIsRefusedAndClosed() async throws {
        let server = try await SecureAPITestServer()
        let client = try await server.secureClient()
        try await client.send(Self.healthCheck("not-a-token"))
        #expect(await client.waitForClose())
        #expect(server.metric("hbbs_health_check_refusals_total", ["reason": "invalid_token"]) == 1)
        #expect(server.hbbs.services.healthChecks.count == 0)
        await server.stop()
    }

    @Test func logoutClosesTheConnectionAtTheNextCheck() async throws {
        let server = try await SecureAPITestServer()
        let token = try await token(server)
        let client = try await server.secureClient()
        try await client.send(Self.healthCheck(token))
        #expect(await poll(timeout: .seconds(15)) { server.hbbs.services.healthChecks.count == 1 })

        let http = try await server.httpClient()
        #expect(try await http.call("POST", "/api/logout", token: token, json: "{}").status == 200)
        await http.close()
        let closed = await server.clock.advance(by: .seconds(30), until: { !client.channel.isActive })
        #expect(closed)
        #expect(server.metric("hbbs_health_check_refusals_total", ["reason": "revoked"]) == 1)
        #expect(await poll(timeout: .seconds(15)) { server.hbbs.services.healthChecks.count == 0 })
        await server.stop()
    }

    @Test func plaintextHealthCheckIsRefused() async throws {
        let server = try await SecureAPITestServer()
        let token = try await token(server)
        let client = try await TCPTestClient(port: server.rendezvousPort)
        try await client.send(Self.healthCheck(token))
        #expect(await client.waitForClose())
        #expect(server.metric("hbbs_health_check_refusals_total", ["reason": "insecure"]) == 1)
        await server.stop()
    }

    @Test func apiOffRefusesHealthChecks() async throws {
        let server = try await SecureAPITestServer(api: false)
        let client = try await server.secureClient()
        try await client.send(Self.healthCheck("whatever"))
        #expect(await client.waitForClose())
        #expect(server.metric("hbbs_health_check_refusals_total", ["reason": "disabled"]) == 1)
        await server.stop()
    }
}
