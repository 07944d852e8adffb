import TestSupport
import Testing

/// The API's series in hbbs's registry: requests by route pattern and status, logins by outcome.
@Suite struct APIMetricsTests {
    @Test func requestsAndLoginsAreCounted() async throws {
        let server = try await APITestServer()
        let registry = server.hbbs.services.metrics.registry
        let client = try await server.client()
        #expect(registry.value("hbbs_api_logins_total", ["result": "ok"]) == 0)
        _ = try await client.token("admin", APITestServer.adminPassword)
        _ = try await client.login("admin", "wrong")
        _ = try await client.call("GET", "/api/login-options")
        #expect(registry.value("hbbs_api_logins_total", ["result": "ok"]) == 1)
        #expect(registry.value("hbbs_api_logins_total", ["result": "wrong_credentials"]) == 1)
        #expect(registry.value("hbbs_api_requests_total", ["route": "/api/login", "status": "200"]) == 1)
        #expect(registry.value("hbbs_api_requests_total", ["route": "/api/login", "status": "401"]) == 1)
        #expect(registry.value("hbbs_api_requests_total", ["route": "/api/login-options", "status": "200"]) == 1)
        await client.close()
        await server.stop()
    }
}
