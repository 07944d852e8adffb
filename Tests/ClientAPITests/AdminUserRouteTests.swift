import APICore
import Foundation
import TestSupport
import Testing

/// users.py's commands over real HTTP with an API token (admin-api.md §2): create, disable and enable,
/// force-logout, reset 2FA, delete, each behind `user:rw`, and never locking out the last administrator.
@Suite struct AdminUserRouteTests {
    typealias Tool = APITokenTests

    static func guid(of name: String, _ client: RustDeskAPIClient, _ token: String) async throws -> String {
        let list = try await client.call("GET", "/api/users?name=\(name)", token: token)
        let first = (list.object?["data"] as? [[String: any Sendable]])?.first
        return try #require(first?["guid"] as? String)
    }

    @Test func createDisableEnableAndDelete() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Tool.mint("users", "user:rw", server)
        let erin = #"{"name":"erin","password":"erin-pw","group_name":"ops","email":"erin@example.com","note":"n"}"#
        let created = try await client.call("POST", "/api/users", token: token, json: erin)
        #expect(created.status == 200)
        #expect(created.body.isEmpty)
        #expect(try await client.call("POST", "/api/users", token: token, json: erin).status == 409)
        let listed = try await client.call("GET", "/api/users?name=erin", token: token)
        let row = (listed.object?["data"] as? [[String: any Sendable]])?.first
        #expect(row?["group_name"] as? String == "ops")
        #expect(row?["email"] as? String == "erin@example.com")
        #expect(row?["note"] as? String == "n")
        #expect(row?["is_admin"] as? Bool == false)
        let guid = try await Self.guid(of: "erin", client, token)

        let session = try await client.token("erin", "erin-pw")
        #expect(try await client.call("POST", "/api/users/\(guid)/disable", token: token).status == 200)
        #expect(try await client.call("POST", "/api/currentUser", token: session, json: "{}").status == 401)
        #expect(try await client.login("erin", "erin-pw").status != 200)
        #expect(try await client.call("POST", "/api/users/\(guid)/enable", token: token).status == 200)
        #expect(try await client.login("erin", "erin-pw").status == 200)

        #expect(try await client.call("DELETE", "/api/users/\(guid)", token: token).status == 200)
        #expect(try await client.login("erin", "erin-pw").status != 200)
        let gone = try await client.call("DELETE", "/api/users/\(guid)", token: token)
        #expect(gone.status == 404)
        #expect(gone.error == "User not found")
        await client.close()
        await server.stop()
    }

    @Test func forceLogoutAndSecondFactorReset() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Tool.mint("users", "user:rw", server)
        #expect(await Tool.tool(["user", "add", "fay", "--password", "fay-pw"], server).status == 0)
        let guid = try await Self.guid(of: "fay", client, token)
        let session = try await client.token("fay", "fay-pw")
        let logout = try await client.call(
            "POST", "/api/users/force-logout", token: token, json: #"{"user_guids":["\#(guid)"]}"#)
        #expect(logout.status == 200)
        #expect(try await client.call("POST", "/api/currentUser", token: session, json: "{}").status == 401)

        #expect(await Tool.tool(["user", "totp", "fay"], server).status == 0)
        #expect(try await client.login("fay", "fay-pw").object?["tfa_type"] as? String == "tfa_check")
        let reset = try await client.call(
            "PUT", "/api/users/disable_login_verification", token: token,
            json: #"{"user_guids":["\#(guid)"],"type":"2fa"}"#)
        #expect(reset.status == 200)
        #expect(try await client.login("fay", "fay-pw").object?["access_token"] is String)
        let email = try await client.call(
            "PUT", "/api/users/disable_login_verification", token: token,
            json: #"{"user_guids":["\#(guid)"],"type":"email"}"#)
        #expect(email.status == 200)
        let bogus = try await client.call(
            "PUT", "/api/users/disable_login_verification", token: token, json: #"{"user_guids":[],"type":"sms"}"#)
        #expect(bogus.status == 400)
        await client.close()
        await server.stop()
    }

    @Test func readOnlyTokensAndBadBodiesAreRefused() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let reader = try await Tool.mint("reader", "user:r,device:rw", server)
        let guid = try await Self.guid(of: "admin", client, reader)
        let body = #"{"name":"gus","password":"pw"}"#
        for (method, path, json) in [
            ("POST", "/api/users", body), ("POST", "/api/users/\(guid)/disable", nil),
            ("DELETE", "/api/users/\(guid)", nil), ("POST", "/api/users/force-logout", #"{"user_guids":[]}"#),
        ] {
            let answer = try await client.call(method, path, token: reader, json: json)
            #expect(answer.status == 403)
            #expect(answer.error == "Token lacks read-write permission on user")
        }
        let writer = try await Tool.mint("writer", "user:rw", server)
        for json in [#"{"password":"pw"}"#, #"{"name":"","password":"pw"}"#, #"{"name":"gus"}"#, "[1]"] {
            #expect(try await client.call("POST", "/api/users", token: writer, json: json).status == 400)
        }
        await client.close()
        await server.stop()
    }

    @Test func theLastAdministratorStays() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Tool.mint("users", "user:rw", server)
        let admin = try await Self.guid(of: "admin", client, token)
        let refused = try await client.call("POST", "/api/users/\(admin)/disable", token: token)
        #expect(refused.status == 409)
        #expect(refused.error == "The last enabled administrator cannot be disabled or deleted")
        #expect(try await client.call("DELETE", "/api/users/\(admin)", token: token).status == 409)
        #expect(await Tool.tool(["user", "add", "root2", "--password", "pw", "--admin"], server).status == 0)
        #expect(try await client.call("POST", "/api/users/\(admin)/disable", token: token).status == 200)
        await client.close()
        await server.stop()
    }
}
