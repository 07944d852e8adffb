import APICore
import RendezvousProtocol
import RustDeskUtilsKit
import Synchronization
import TestSupport
import Testing

/// `rustdesk-utils user` against the database file of a running hbbs: hbbs sees the changes at once,
/// without a restart, because it reads accounts and sessions from the database per request.
@Suite struct UserToolIntegrationTests {
    /// The tool as the executable runs it, against `database`, collecting what it prints.
    private func tool(_ words: [String], database: String) async -> (status: Int32, lines: [String]) {
        let lines = Mutex<[String]>([])
        let output = UtilsOutput { line in lines.withLock { $0.append(line) } }
        let status = await RustDeskUtils(output: output, hasher: .fastForTests).run(
            ["user"] + words + ["--db", database])
        return (status, lines.withLock { $0 })
    }

    @Test func usersAddedAndChangedByTheToolLogInOverHTTP() async throws {
        let server = try await APITestServer()
        let database = server.directory.file("db_v2.sqlite3")
        let client = try await server.client()
        #expect(try await client.login("carol", "first-pw").status == 401)

        #expect(
            await tool(["add", "carol", "--password", "first-pw", "--group", "support"], database: database).status == 0
        )
        let token = try await client.token("carol", "first-pw")
        let current = try await client.call("POST", "/api/currentUser", token: token, json: "{}")
        #expect(current.object?["name"] as? String == "carol")

        // A new password ends the sessions opened with the old one.
        let changed = await tool(["passwd", "carol", "--password", "second-pw"], database: database)
        #expect(changed.lines == ["Password of carol changed; 1 session revoked"])
        #expect(try await client.call("POST", "/api/currentUser", token: token, json: "{}").status == 401)
        #expect(try await client.login("carol", "first-pw").status == 401)
        #expect(try await client.login("carol", "second-pw").status == 200)

        // With TOTP enrolled, the password alone no longer logs in.
        #expect(await tool(["totp", "carol"], database: database).status == 0)
        let login = try await client.login("carol", "second-pw")
        #expect(login.object?["tfa_type"] as? String == "tfa_check")
        #expect(login.object?["access_token"] == nil)
        await client.close()
        await server.stop()
    }

    @Test func passwordChangeEndsAHealthCheckConnection() async throws {
        let server = try await SecureAPITestServer()
        let http = try await server.httpClient()
        let token = try await http.token("admin", APITestServer.adminPassword)
        await http.close()
        let client = try await server.secureClient()
        try await client.send(.with { $0.hc = .with { $0.token = token } })
        #expect(await poll(timeout: .seconds(15)) { server.hbbs.services.healthChecks.count == 1 })

        let database = server.directory.file("db_v2.sqlite3")
        #expect(await tool(["passwd", "admin", "--password", "changed-pw"], database: database).status == 0)
        #expect(await server.clock.advance(by: .seconds(30), until: { !client.channel.isActive }))
        await server.stop()
    }
}
