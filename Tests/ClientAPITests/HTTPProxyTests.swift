import APICore
import Foundation
import RendezvousProtocol
import TestSupport
import Testing

/// HttpProxyRequest over the real wire (http-api.md §0.2): secure TCP handshake on PORT, one request,
/// one HttpProxyResponse from the same router as the HTTP listener.
@Suite struct HTTPProxyTests {
    static let loginBody = """
        {"username":"admin","password":"\(APITestServer.adminPassword)","id":"123456789","uuid":"dXVpZA==",\
        "autoLogin":true,"type":"account","deviceInfo":{"os":"linux","type":"client","name":"test-host"}}
        """

    @Test func loginOptionsAnswerAsOverHTTP() async throws {
        let server = try await SecureAPITestServer()
        let client = try await server.secureClient()
        let answer = try await client.proxy("GET", "/api/login-options", headers: [])
        #expect(answer.error.isEmpty)
        #expect(answer.status == 200)
        #expect(answer.text == "[]")
        #expect(answer.header("Content-Type") == "application/json; charset=utf-8")
        #expect(answer.header("Content-Length") == "2")
        #expect(server.metric("hbbs_http_proxy_requests_total", ["result": "answered"]) == 1)
        await client.close()
        await server.stop()
    }

    @Test func loginThenCurrentUserWithTheToken() async throws {
        let server = try await SecureAPITestServer()
        let client = try await server.secureClient()
        let login = try await client.proxy("POST", "/api/login", body: Self.loginBody)
        #expect(login.status == 200)
        let token = try #require(login.object?["access_token"] as? String)
        // The session records the rendezvous connection's peer as the client's address.
        let digest = try #require(SessionToken.digest(of: token))
        #expect(try await server.store.apiStore.session(tokenDigest: digest)?.0.ip == "127.0.0.1")

        // Several requests, one after another, on the same connection.
        let current = try await client.proxy(
            "POST", "/api/currentUser",
            headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")],
            body: #"{"id":"123456789","uuid":"dXVpZA=="}"#)
        #expect(current.status == 200)
        #expect(current.object?["name"] as? String == "admin")
        // The token is the same session the HTTP listener knows.
        let http = try await server.httpClient()
        #expect(try await http.call("POST", "/api/currentUser", token: token, json: "{}").status == 200)
        await http.close()
        await client.close()
        await server.stop()
    }

    @Test func userScopedRouteWithoutTokenIs401() async throws {
        let server = try await SecureAPITestServer()
        let client = try await server.secureClient()
        let answer = try await client.proxy("POST", "/api/currentUser", body: "{}")
        #expect(answer.status == 401)
        #expect(answer.object?["error"] as? String == "Invalid token")
        #expect(answer.error.isEmpty)
        await client.close()
        await server.stop()
    }

    @Test func unknownPathIs404() async throws {
        let server = try await SecureAPITestServer()
        let client = try await server.secureClient()
        let answer = try await client.proxy("POST", "/api/no-such-thing?current=1&pageSize=10", body: "{}")
        #expect(answer.status == 404)
        #expect(answer.object?["error"] as? String == "Not found")
        await client.close()
        await server.stop()
    }

    /// The route's own body limit applies: the length is the body's, whatever the client declares.
    @Test func bodyOverTheRouteLimitIs413() async throws {
        let server = try await SecureAPITestServer()
        let client = try await server.secureClient()
        let big = "{\"pad\":\"" + String(repeating: "x", count: 70 * 1024) + "\"}"
        let answer = try await client.proxy(
            "POST", "/api/login", headers: [("Content-Type", "application/json"), ("Content-Length", "2")], body: big)
        #expect(answer.status == 413)
        await client.close()
        await server.stop()
    }

    @Test(arguments: [("GET", "api/login-options"), ("GET", "/api/login options"), ("BAD METHOD", "/api/login")])
    func malformedRequestIsNotCarried(method: String, path: String) async throws {
        let server = try await SecureAPITestServer()
        let client = try await server.secureClient()
        let answer = try await client.proxy(method, path)
        #expect(answer.error == "Bad request")
        #expect(answer.status == 0)
        #expect(server.metric("hbbs_http_proxy_requests_total", ["result": "malformed"]) == 1)
        // The connection still serves.
        #expect(try await client.proxy("GET", "/api/login-options").status == 200)
        await client.close()
        await server.stop()
    }

    @Test func plaintextConnectionIsRefusedAndClosed() async throws {
        let server = try await SecureAPITestServer()
        let client = try await TCPTestClient(port: server.rendezvousPort)
        try await client.send(
            .with {
                $0.httpProxyRequest = .with {
                    $0.method = "POST"
                    $0.path = "/api/login"
                    $0.body = Data(Self.loginBody.utf8)
                }
            })
        let answer = try await client.receive().httpProxyResponse
        #expect(answer.error == "Secure connection required")
        #expect(answer.body.isEmpty)
        #expect(await client.waitForClose())
        #expect(server.metric("hbbs_http_proxy_requests_total", ["result": "insecure"]) == 1)
        #expect(server.metric("hbbs_http_proxy_requests_total", ["result": "answered"]) == 0)
        await server.stop()
    }

    @Test func apiOffAnswersDisabled() async throws {
        let server = try await SecureAPITestServer(api: false)
        let client = try await server.secureClient()
        let answer = try await client.proxy("GET", "/api/login-options")
        #expect(answer.error == "API is disabled")
        #expect(server.metric("hbbs_http_proxy_requests_total", ["result": "disabled"]) == 1)
        await client.close()
        await server.stop()
    }
}
