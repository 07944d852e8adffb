import ClientAPI
import NIOCore
import TestSupport
import Testing

/// Idle and slow HTTP clients are cut off, and the server keeps serving others.
@Suite struct SlowClientTests {
    static func limits(idle: Int64 = 30_000, head: Int64 = 30_000) -> APIServer.Limits {
        var limits = APIServer.Limits()
        limits.idleTimeout = .milliseconds(idle)
        limits.headTimeout = .milliseconds(head)
        return limits
    }

    /// Sends one header byte at a time, never idle long enough for the idle timeout, until the server
    /// closes the connection (true) or 30 s pass.
    static func trickleUntilClosed(_ http: HTTPTestClient) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            try? await http.sendRaw("X")
            if await http.waitForClose(timeout: .milliseconds(50)) { return true }
        }
        return false
    }

    @Test func idleConnectionIsClosed() async throws {
        let server = try await APITestServer(limits: Self.limits(idle: 300))
        let idle = try await HTTPTestClient.connect(port: server.apiPort)
        #expect(await idle.waitForClose(timeout: .seconds(30)))
        // The server still serves. A loaded machine may let a fresh connection sit past the 300 ms idle
        // limit before its request goes out (it is then closed, as it should be): another one tries.
        var served = false
        for _ in 0..<10 where !served {
            let other = try await server.client()
            served = (try? await other.call("GET", "/api/login-options").status) == 200
            await other.close()
        }
        #expect(served)
        await server.stop()
    }

    /// Requests that keep coming move the head deadline on (the connection outlives it several times);
    /// a head trickled after them is still cut off.
    @Test func theHeadDeadlineMovesWithEachRequest() async throws {
        let server = try await APITestServer(limits: Self.limits(head: 1_000))
        let http = try await HTTPTestClient.connect(port: server.apiPort)
        let end = ContinuousClock.now + .milliseconds(3_000)
        while ContinuousClock.now < end {
            try await http.sendRaw("GET /api/login-options HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await http.response().status == 200)
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(http.isOpen)
        try await http.sendRaw("POST /api/login HTTP/1.1\r\nHost: x\r\n")
        #expect(await Self.trickleUntilClosed(http))
        await server.stop()
    }

    @Test func clientTricklingItsHeadersIsClosed() async throws {
        let server = try await APITestServer(limits: Self.limits(head: 500))
        let slow = try await HTTPTestClient.connect(port: server.apiPort)
        try await slow.sendRaw("POST /api/login HTTP/1.1\r\nHost: x\r\n")
        #expect(await Self.trickleUntilClosed(slow))
        let other = try await server.client()
        #expect(try await other.call("GET", "/api/login-options").status == 200)
        await other.close()
        await server.stop()
    }
}
