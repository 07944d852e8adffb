import APICore
import RustDeskUtilsKit
import Synchronization
import TestSupport
import Testing

/// API tokens end to end (issue 13): made by `rustdesk-utils api-token` on the database of a running
/// hbbs and usable at once, bound to their permissions, refused once revoked or expired or when sent
/// in the query string, and managed over the API by an administrator's session only.
@Suite struct APITokenTests {
    /// `rustdesk-utils api-token …` (or `user …`) on the server's database and with its clock.
    static func tool(_ words: [String], _ server: APITestServer) async -> (status: Int32, lines: [String]) {
        let lines = Mutex<[String]>([])
        let output = UtilsOutput { line in lines.withLock { $0.append(line) } }
        let clock = server.wallClock
        let status = await RustDeskUtils(output: output, hasher: .fastForTests, clock: APIClock { clock.seconds })
            .run(words + ["--db", server.directory.file("db_v2.sqlite3")])
        return (status, lines.withLock { $0 })
    }

    /// A new token's text, as the tool prints it.
    static func mint(_ name: String, _ permissions: String, _ server: APITestServer, expires: Int? = nil)
        async throws -> String
    {
        let extra = expires.map { ["--expires", "\($0)"] } ?? []
        let made = await tool(["api-token", "create", "--name", name, "--permissions", permissions] + extra, server)
        guard made.status == 0, made.lines.count == 1, let text = made.lines.first, text.hasPrefix("rdapi_") else {
            throw TestTimeout(what: "a token from the tool (got \(made.lines))")
        }
        return text
    }

    @Test func aTokenMadeByTheToolWorksAtOnceAndStopsWhenRevoked() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Self.mint("scripts", "user:r", server)

        let users = try await client.call("GET", "/api/users?pageSize=30&current=1", token: token)
        #expect(users.status == 200)
        #expect(users.object?["total"] as? Int == 1)
        let admin = (users.object?["data"] as? [[String: any Sendable]])?.first
        #expect(admin?["name"] as? String == "admin")
        #expect((admin?["guid"] as? String)?.count == 36)
        #expect(admin?["is_admin"] as? Bool == true)
        #expect(admin?["group_name"] as? String == "Default")

        let listed = await Self.tool(["api-token", "list"], server)
        #expect(listed.lines.count == 2)
        #expect(listed.lines.last?.hasPrefix("scripts") == true)
        #expect(listed.lines.last?.contains("user:r") == true)
        #expect(listed.lines.last?.contains("active") == true)

        #expect(await Self.tool(["api-token", "revoke", "scripts"], server).lines == ["Revoked token scripts"])
        let revoked = try await client.call("GET", "/api/users", token: token)
        #expect(revoked.status == 401)
        #expect(revoked.error == "Invalid token")
        #expect(await Self.tool(["api-token", "list"], server).lines.last?.contains("revoked") == true)
        await client.close()
        await server.stop()
    }

    @Test func aTokenIsBoundToItsPermissions() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Self.mint("devices-only", "device:r", server)
        let refused = try await client.call("GET", "/api/users", token: token)
        #expect(refused.status == 403)
        #expect(refused.error == "Token lacks read permission on user")
        // Routes that act for a logged-in user are not a token's.
        let groupTab = try await client.call("GET", "/api/peers", token: token)
        #expect(groupTab.status == 403)
        #expect(try await client.call("POST", "/api/currentUser", token: token, json: "{}").status == 403)
        // No token manages tokens, whatever its permissions.
        let everything = try await Self.mint("everything", Self.allAreas, server)
        #expect(try await client.call("GET", "/api/tokens", token: everything).status == 403)
        let minted = try await client.call(
            "POST", "/api/tokens", token: everything, json: #"{"name":"more","permissions":"user:rw"}"#)
        #expect(minted.status == 403)
        await client.close()
        await server.stop()
    }

    static let allAreas = APIPermissions.Area.allCases.map { "\($0.rawValue):rw" }.joined(separator: ",")

    @Test func expiredUnknownAndQueryStringTokensAreRefused() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Self.mint("short", "user:r", server, expires: 1)
        #expect(try await client.call("GET", "/api/users", token: token).status == 200)
        let inQuery = try await client.call("GET", "/api/users?access_token=\(token)", token: token)
        #expect(inQuery.status == 401)
        #expect(inQuery.error == "Send the token in the Authorization header, not in the query string")
        #expect(try await client.call("GET", "/api/users?token=\(token)").status == 401)
        let forged = "rdapi_" + String(repeating: "A", count: 43)
        #expect(try await client.call("GET", "/api/users", token: forged).status == 401)
        server.wallClock.advance(seconds: 86_400)
        let expired = try await client.call("GET", "/api/users", token: token)
        #expect(expired.status == 401)
        #expect(expired.error == "Invalid token")
        #expect(await Self.tool(["api-token", "list"], server).lines.last?.contains("expired") == true)
        await client.close()
        await server.stop()
    }

    @Test func theToolRefusesBadInputClearly() async throws {
        let server = try await APITestServer()
        let bad = await Self.tool(["api-token", "create", "--name", "x", "--permissions", "users:rw"], server)
        #expect(bad.status == 1)
        #expect(bad.lines.first?.hasPrefix("ERROR: Permissions: unknown area 'users'") == true)
        let level = await Self.tool(["api-token", "create", "--name", "x", "--permissions", "user:write"], server)
        #expect(level.lines.first == "ERROR: Permissions: unknown level 'write' (levels: r, rw)")
        let spaced = await Self.tool(["api-token", "create", "--name", "a b", "--permissions", "user:r"], server)
        #expect(spaced.lines.first?.hasPrefix("ERROR: A token name must be") == true)
        let expiry = await Self.tool(
            ["api-token", "create", "--name", "x", "--permissions", "user:r", "--expires", "0"], server)
        #expect(expiry.status == 1)
        _ = try await Self.mint("taken", "user:r", server)
        let duplicate = await Self.tool(["api-token", "create", "--name", "TAKEN", "--permissions", "user:r"], server)
        #expect(duplicate.lines == ["ERROR: A token named 'TAKEN' already exists"])
        #expect(await Self.tool(["api-token", "revoke", "nope"], server).lines == ["ERROR: No token named 'nope'"])
        await server.stop()
    }

    @Test func administratorsManageTokensOverTheAPI() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let session = try await client.token("admin", APITestServer.adminPassword)
        let created = try await client.call(
            "POST", "/api/tokens", token: session,
            json: #"{"name":"ci","permissions":"audit:r, user:rw","expires_days":30}"#)
        #expect(created.status == 200)
        let text = try #require(created.object?["token"] as? String)
        let guid = try #require(created.object?["guid"] as? String)
        #expect(created.object?["permissions"] as? String == "user:rw,audit:r")
        #expect(created.object?["expires_at"] as? Int == Int(server.wallClock.seconds + 30 * 86_400))
        #expect(try await client.call("GET", "/api/users", token: text).status == 200)

        let list = try await client.call("GET", "/api/tokens", token: session)
        let items = try #require(list.object?["data"] as? [[String: any Sendable]])
        #expect(items.map { $0["name"] as? String } == ["ci"])
        #expect(items.first?["token"] == nil)
        #expect(items.first?["created_by"] as? String == "admin")
        #expect(items.first?["last_used_at"] as? Int == Int(server.wallClock.seconds))

        for (body, status) in [
            (#"{"name":"ci","permissions":"user:r"}"#, 409), (#"{"name":"x","permissions":"nobody:r"}"#, 400),
            (#"{"name":"x","permissions":""}"#, 400), (#"{"name":"","permissions":"user:r"}"#, 400),
            (#"{"name":"x","permissions":"user:r","expires_days":0}"#, 400),
        ] {
            #expect(try await client.call("POST", "/api/tokens", token: session, json: body).status == status)
        }
        #expect(try await client.call("DELETE", "/api/tokens/\(guid)", token: session).status == 200)
        #expect(try await client.call("GET", "/api/users", token: text).status == 401)
        #expect(try await client.call("DELETE", "/api/tokens/no-such-guid", token: session).status == 404)

        // A user who is not an administrator may not.
        #expect(await Self.tool(["user", "add", "dave", "--password", "dave-pw"], server).status == 0)
        let dave = try await client.token("dave", "dave-pw")
        let refused = try await client.call("GET", "/api/tokens", token: dave)
        #expect(refused.status == 403)
        #expect(refused.error == "Admin required!")
        await client.close()
        await server.stop()
    }

    /// users.py's filters: `%` is the only wildcard, `_` matches itself, `-` is "no group".
    @Test func userFiltersAreLikePatternsWithoutSQL() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        for (name, group) in [("a_b", "support"), ("axb", "support"), ("carl", ""), ("Dee Dee", ""), ("e+f", "")] {
            let words = ["user", "add", name, "--password", "pw-\(name)"] + (group.isEmpty ? [] : ["--group", group])
            #expect(await Self.tool(words, server).status == 0)
        }
        let token = try await Self.mint("reader", "user:r", server)
        func names(_ query: String) async throws -> [String] {
            let answer = try await client.call("GET", "/api/users?\(query)", token: token)
            return (answer.object?["data"] as? [[String: any Sendable]])?.compactMap { $0["name"] as? String } ?? []
        }
        #expect(try await names("name=a_b") == ["a_b"])
        #expect(try await names("name=%25_%25") == ["a_b"])
        #expect(try await names("name=%25b%25") == ["a_b", "axb"])
        #expect(try await names("name=A_B") == ["a_b"])
        #expect(try await names("group_name=%25port%25") == ["a_b", "axb"])
        #expect(try await names("group_name=Default") == ["admin", "carl", "Dee Dee", "e+f"])
        // Form encoding, as Python's requests writes it: "+" is a space, "%2B" a plus.
        #expect(try await names("name=dee+dee") == ["Dee Dee"])
        #expect(try await names("name=e%2Bf") == ["e+f"])
        // Only accounts from before the Default group can have none.
        #expect(try await names("group_name=-") == [])
        #expect(try await names("name=%27%20OR%201%3D1%20--") == [])
        let paged = try await client.call("GET", "/api/users?pageSize=2&current=2", token: token)
        #expect(paged.object?["total"] as? Int == 6)
        #expect((paged.object?["data"] as? [Any])?.count == 2)
        await client.close()
        await server.stop()
    }
}
