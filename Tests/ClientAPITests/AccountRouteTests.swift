import APICore
import Foundation
import TestSupport
import Testing

/// http-api.md §1 through real HTTP against hbbs: login options, login, currentUser, logout, and the
/// administrator created at start-up.
@Suite struct AccountRouteTests {
    @Test func loginOptionsIsAnEmptyListAndAnswersHEAD() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let options = try await client.call("GET", "/api/login-options")
        #expect(options.status == 200)
        #expect(options.body == "[]")
        #expect(options.contentType == "application/json; charset=utf-8")
        let probe = try await client.call("HEAD", "/api/login-options")
        #expect(probe.status == 200)
        await client.close()
        await server.stop()
    }

    @Test func adminLogsInAndSeesItself() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let answer = try await client.login("admin", APITestServer.adminPassword)
        #expect(answer.status == 200)
        let object = try #require(answer.object)
        #expect(object["type"] as? String == "access_token")
        let token = try #require(object["access_token"] as? String)
        #expect(token.count == 43)
        let user = try #require(object["user"] as? [String: any Sendable])
        #expect(user["name"] as? String == "admin")
        #expect(user["is_admin"] as? Bool == true)
        #expect(user["status"] as? Int == 1)
        #expect(user["info"] is [String: any Sendable])

        let current = try await client.call("POST", "/api/currentUser", token: token, json: #"{"id":"1","uuid":"x"}"#)
        #expect(current.status == 200)
        #expect(current.object?["name"] as? String == "admin")
        await client.close()
        await server.stop()
    }

    @Test func loginAcceptsAnyContentTypeAndUnknownFields() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let answer = try await client.call(
            "POST", "/api/login",
            json:
                #"{"username":"ADMIN","password":"\#(APITestServer.adminPassword)","newField":[1,2],"autoLogin":"yes"}"#,
            contentType: "text/plain; charset=utf-8")
        #expect(answer.status == 200)
        #expect(answer.object?["access_token"] is String)
        await client.close()
        await server.stop()
    }

    @Test func wrongPasswordIsRefusedWithAShortError() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let answer = try await client.login("admin", "wrong")
        #expect(answer.status == 401)
        #expect(answer.error == "Wrong username or password")
        let unknown = try await client.login("nobody", "wrong")
        #expect(unknown.error == "Wrong username or password")
        await client.close()
        await server.stop()
    }

    @Test func logoutRevokesTheToken() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        let logout = try await client.call("POST", "/api/logout", token: token, json: #"{"id":"1","uuid":"x"}"#)
        #expect(logout.status == 200)
        #expect(logout.body.isEmpty)
        let after = try await client.call("POST", "/api/currentUser", token: token, json: "{}")
        #expect(after.status == 401)
        #expect(after.error == "Invalid token")
        await client.close()
        await server.stop()
    }

    @Test(arguments: [
        nil, "Bearer", "Bearer nonsense", "Basic YWRtaW46eA==", "Bearer " + String(repeating: "a", count: 5000),
    ])
    func missingOrForgedTokensGet401(_ header: String?) async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let answer = try await client.call(
            "POST", "/api/currentUser", json: "{}", extraHeaders: header.map { [("Authorization", $0)] } ?? [])
        #expect(answer.status == 401)
        #expect(answer.error == "Invalid token")
        await client.close()
        await server.stop()
    }

    @Test func sessionExpiresAfterItsLifetimeWithoutUse() async throws {
        let server = try await APITestServer(sessionDays: 1)
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        server.wallClock.advance(seconds: 86_400 - 10)
        #expect(try await client.call("POST", "/api/currentUser", token: token, json: "{}").status == 200)
        // That use moved the expiry a day forward.
        server.wallClock.advance(seconds: 86_400 - 10)
        #expect(try await client.call("POST", "/api/currentUser", token: token, json: "{}").status == 200)
        server.wallClock.advance(seconds: 86_400 + 1)
        #expect(try await client.call("POST", "/api/currentUser", token: token, json: "{}").status == 401)
        await client.close()
        await server.stop()
    }

    @Test func repeatedFailuresThrottleTheAccount() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        for _ in 0..<10 {
            #expect(try await client.login("admin", "wrong").status == 401)
        }
        let throttled = try await client.login("admin", APITestServer.adminPassword)
        #expect(throttled.status == 429)
        #expect(throttled.error?.hasPrefix("Too many failed logins") == true)
        server.wallClock.advance(seconds: 901)
        #expect(try await client.login("admin", APITestServer.adminPassword).status == 200)
        await client.close()
        await server.stop()
    }

    @Test func unknownPathsAnswer404InTheErrorShape() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let answer = try await client.call("GET", "/api/nothing-here")
        #expect(answer.status == 404)
        #expect(answer.error != nil)
        await client.close()
        await server.stop()
    }

    @Test func malformedLoginBodyIs400() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let answer = try await client.call("POST", "/api/login", json: "{not json")
        #expect(answer.status == 400)
        #expect(answer.error == "Invalid request body")
        await client.close()
        await server.stop()
    }

    @Test func oversizedDeclaredBodyIsRefusedBeforeReading() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        try await client.http.sendRaw(
            "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n{")
        let response = try await client.http.response()
        #expect(response.status == 413)
        await client.close()
        await server.stop()
    }
}

/// Behind a reverse proxy on loopback, the throttle sees each client's own address.
@Suite struct ClientAddressTests {
    @Test func loopbackProxyHeadersNameTheClientForThrottling() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        // Thirty failures (the per-address limit) for different accounts from one forwarded address...
        for index in 0..<30 {
            let answer = try await client.call(
                "POST", "/api/login", json: #"{"username":"u\#(index)","password":"x"}"#,
                extraHeaders: [("X-Forwarded-For", "198.51.100.7")])
            #expect(answer.status == 401)
        }
        // ...throttle that address, and not the proxy's other clients.
        let blocked = try await client.call(
            "POST", "/api/login", json: #"{"username":"admin","password":"\#(APITestServer.adminPassword)"}"#,
            extraHeaders: [("X-Forwarded-For", "198.51.100.7")])
        #expect(blocked.status == 429)
        let other = try await client.call(
            "POST", "/api/login", json: #"{"username":"admin","password":"\#(APITestServer.adminPassword)"}"#,
            extraHeaders: [("X-Real-IP", "203.0.113.9")])
        #expect(other.status == 200)
        await client.close()
        await server.stop()
    }
}

/// The TOTP second step as the client runs it (http-api.md §1.2, `tfa_check`).
@Suite struct TOTPLoginTests {
    @Test func loginAsksForTheCodeThenAcceptsIt() async throws {
        let server = try await APITestServer()
        let store = server.api.services.accounts.store
        let admin = try #require(try await store.user(named: "admin"))
        let secret = try TOTP.generateSecret()
        try await store.setTOTPSecret(userID: admin.id, secret: secret, now: server.wallClock.seconds)
        let client = try await server.client()

        let first = try await client.login("admin", APITestServer.adminPassword)
        #expect(first.status == 200)
        #expect(first.object?["type"] as? String == "email_check")
        #expect(first.object?["tfa_type"] as? String == "tfa_check")
        #expect(first.object?["access_token"] == nil)
        let pending = try #require(first.object?["secret"] as? String)

        let code = TOTP(secret: secret).code(at: server.wallClock.seconds)
        let second = try await client.call(
            "POST", "/api/login",
            json: """
                {"username":"admin","id":"123456789","uuid":"dXVpZA==","autoLogin":true,"type":"email_code",\
                "verificationCode":"\(code)","tfaCode":"\(code)","secret":"\(pending)",\
                "deviceInfo":{"os":"linux","type":"client","name":"test-host"}}
                """)
        #expect(second.status == 200)
        #expect(second.object?["type"] as? String == "access_token")
        #expect(second.object?["access_token"] is String)
        #expect((second.object?["user"] as? [String: any Sendable])?["name"] as? String == "admin")
        await client.close()
        await server.stop()
    }
}
