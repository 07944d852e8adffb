import APICore
import Foundation
import RustDeskCore
import TestSupport
import Testing

/// users.py `enable-2fa-enforce` / `disable-2fa-enforce` over real HTTP: a required user without TOTP
/// is refused at login with a message that names the url, enrols through `/api/tfa/totp/setup` and
/// `/confirm`, and then logs in with the code; lifting the requirement lets a user without TOTP in again.
@Suite struct TOTPEnforcementTests {
    typealias Tool = APITokenTests

    static func enforce(_ on: Bool, _ guids: [String], url: String = "", _ client: RustDeskAPIClient, _ token: String)
        async throws -> RustDeskAPIClient.Answer
    {
        let list = guids.map { "\"\($0)\"" }.joined(separator: ",")
        return try await client.call(
            "PUT", "/api/users/tfa/totp/enforce", token: token,
            json: #"{"user_guids":[\#(list)],"enforce":\#(on),"url":\#(quoted(url))}"#)
    }

    @Test func aRequiredUserEnrolsThenLogsInWithTheCode() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Tool.mint("users", "user:rw,audit:r", server)
        #expect(await Tool.tool(["user", "add", "fay", "--password", "fay-pw"], server).status == 0)
        let guid = try await AdminUserRouteTests.guid(of: "fay", client, token)
        let url = "https://console.example.com"
        #expect(try await Self.enforce(true, [guid], url: url, client, token).status == 200)

        let listed = try await client.call("GET", "/api/users?name=fay", token: token)
        #expect((listed.object?["data"] as? [[String: any Sendable]])?.first?["tfa_enforced"] as? Bool == true)
        let refused = try await client.login("fay", "fay-pw")
        #expect(refused.status == 403)
        #expect(refused.error == "2FA (TOTP) is required for this account; set it up at \(url), then log in")
        // A wrong password still reads as one, and is not told about the requirement.
        #expect(try await client.login("fay", "wrong").error == "Wrong username or password")

        let wrong = try await client.call(
            "POST", "/api/tfa/totp/setup", json: #"{"username":"fay","password":"nope"}"#)
        #expect(wrong.status == 401)
        let setup = try await client.call(
            "POST", "/api/tfa/totp/setup", json: #"{"username":"fay","password":"fay-pw"}"#)
        #expect(setup.status == 200)
        let handle = try #require(setup.object?["handle"] as? String)
        let secretText = try #require(setup.object?["secret"] as? String)
        #expect(
            (setup.object?["uri"] as? String)?.hasPrefix("otpauth://totp/RustDesk:fay?secret=\(secretText)") == true)
        let secret = try #require(Base32.decode(secretText))
        let now = server.wallClock.seconds
        let badCode = try await client.call(
            "POST", "/api/tfa/totp/confirm", json: #"{"handle":"\#(handle)","code":"000000x"}"#)
        #expect(badCode.status == 401)
        let confirmed = try await client.call(
            "POST", "/api/tfa/totp/confirm",
            json: #"{"handle":"\#(handle)","code":"\#(TOTP(secret: secret).code(at: now))"}"#)
        #expect(confirmed.status == 200)
        #expect(confirmed.body.isEmpty)
        // Enrolled: a second setup with the password alone would replace the factor, so it is refused.
        let twice = try await client.call(
            "POST", "/api/tfa/totp/setup", json: #"{"username":"fay","password":"fay-pw"}"#)
        #expect(twice.status == 409)

        let first = try await client.login("fay", "fay-pw")
        #expect(first.object?["tfa_type"] as? String == "tfa_check")
        server.wallClock.advance(seconds: 30)
        let code = TOTP(secret: secret).code(at: server.wallClock.seconds)
        let second = try await client.call(
            "POST", "/api/login",
            json: #"""
                {"username":"fay","type":"email_code","tfaCode":"\#(code)","verificationCode":"\#(code)",\#
                "secret":"\#(try #require(first.object?["secret"] as? String))","id":"1","uuid":"dQ=="}
                """#)
        #expect(second.object?["access_token"] is String)

        let audit = try await ConsoleAuditTests.records("pageSize=10&current=1", client, token)
        #expect((audit.first?["info"] as? String)?.contains("enable-2fa-enforce") == true)
        #expect(audit.first?["iop"] as? Int == 11)
        await client.close()
        await server.stop()
    }

    @Test func withoutAURLTheRefusalSaysToAskAndDisablingLetsTheUserIn() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Tool.mint("users", "user:rw", server)
        #expect(await Tool.tool(["user", "add", "gus", "--password", "gus-pw"], server).status == 0)
        let guid = try await AdminUserRouteTests.guid(of: "gus", client, token)
        #expect(try await Self.enforce(true, [guid], client, token).status == 200)
        let refused = try await client.login("gus", "gus-pw")
        #expect(refused.status == 403)
        #expect(refused.error?.contains("ask your administrator") == true)
        #expect(try await Self.enforce(false, [guid], client, token).status == 200)
        #expect(try await client.login("gus", "gus-pw").object?["access_token"] is String)
        await client.close()
        await server.stop()
    }

    @Test func onlyReadWriteTokensEnforceAndBadBodiesAreRefused() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let reader = try await Tool.mint("reader", "user:r", server)
        let admin = try await AdminUserRouteTests.guid(of: "admin", client, reader)
        let refused = try await Self.enforce(true, [admin], client, reader)
        #expect(refused.status == 403)
        #expect(refused.error == "Token lacks read-write permission on user")
        let anonymous = try await client.call(
            "PUT", "/api/users/tfa/totp/enforce", json: #"{"user_guids":[],"enforce":true,"url":""}"#)
        #expect(anonymous.status == 401)
        let writer = try await Tool.mint("writer", "user:rw", server)
        for json in [
            #"{"user_guids":[],"url":""}"#, #"{"enforce":true}"#,
            #"{"user_guids":[],"enforce":true,"url":"\#(String(repeating: "x", count: 600))"}"#,
        ] {
            let answer = try await client.call("PUT", "/api/users/tfa/totp/enforce", token: writer, json: json)
            #expect(answer.status == 400)
        }
        // The administrator is untouched by the refused calls.
        #expect(try await client.login("admin", APITestServer.adminPassword).object?["access_token"] is String)
        await client.close()
        await server.stop()
    }

    @Test func theSetupPagesWorkWithoutScripts() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        #expect(await Tool.tool(["user", "add", "hal", "--password", "hal pw&"], server).status == 0)
        let start = try await client.call("GET", "/api/tfa/totp/setup")
        #expect(start.status == 200)
        #expect(start.body.contains(#"<form method="post" action="setup">"#))
        let form = "application/x-www-form-urlencoded"
        let wrong = try await client.call(
            "POST", "/api/tfa/totp/setup", json: "username=hal&password=nope", contentType: form)
        #expect(wrong.status == 401)
        #expect(wrong.contentType?.hasPrefix("text/html") == true)
        let confirm = try await client.call(
            "POST", "/api/tfa/totp/setup", json: "username=hal&password=hal+pw%26", contentType: form)
        #expect(confirm.status == 200)
        let handle = try #require(Self.capture(#"name="handle" value="([^"]+)""#, in: confirm.body))
        let secretText = try #require(Self.capture("<code>([A-Z2-7]+)</code>", in: confirm.body))
        let secret = try #require(Base32.decode(secretText))
        let code = TOTP(secret: secret).code(at: server.wallClock.seconds)
        let done = try await client.call(
            "POST", "/api/tfa/totp/confirm", json: "handle=\(handle)&code=\(code)", contentType: form)
        #expect(done.status == 200)
        #expect(done.body.contains("TOTP is set up"))
        #expect(try await client.login("hal", "hal pw&").object?["tfa_type"] as? String == "tfa_check")
        await client.close()
        await server.stop()
    }

    static func capture(_ pattern: String, in text: String) -> String? {
        guard let expression = try? NSRegularExpression(pattern: pattern),
            let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }
}
