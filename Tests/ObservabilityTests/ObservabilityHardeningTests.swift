import Logging
import NIOCore
import NIOPosix
import Observability
import RustDeskNIO
import ServiceLifecycle
import TestSupport
import Testing

@Suite("Observability: hardening")
struct ObservabilityHardeningTests {
    private static let limits = ObservabilityLimits(
        maxRequestBodyBytes: 64, maxHeaderBytes: 1024, idleTimeout: .seconds(30))

    @Test func idleConnectionIsClosedOnTheServersClock() async throws {
        let clock = TestClock()
        try await withEndpoint(limits: Self.limits, clock: clock.serverClock) { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            #expect(await clock.waitForTimers(1))
            await clock.advance(by: .milliseconds(29_999))
            #expect(client.isOpen)
            await clock.advance(by: .milliseconds(1))
            #expect(await client.waitForClose())
        }
    }

    @Test func keptAliveConnectionIsClosedAfterIdling() async throws {
        let clock = TestClock()
        try await withEndpoint(limits: Self.limits, clock: clock.serverClock) { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            #expect(await clock.waitForTimers(1))
            try await client.send("GET", "/healthz")
            #expect(try await client.response().status == 200)
            #expect(await clock.advance(by: .seconds(10), until: { !client.isOpen }))
        }
    }

    @Test func declaredBodyBeyondTheLimitIsRefused() async throws {
        try await withEndpoint(limits: Self.limits) { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            // The body is never sent: the declared length alone is refused.
            try await client.sendRaw("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
            let response = try await client.response()
            #expect(response.status == 413 && response.header("Connection") == "close")
            #expect(await client.waitForClose())
        }
    }

    @Test func chunkedBodyBeyondTheLimitIsRefused() async throws {
        try await withEndpoint(limits: Self.limits) { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            let chunk = String(repeating: "x", count: 100)
            try await client.sendRaw(
                "GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n\(chunk)\r\n")
            #expect(try await client.response().status == 413)
            #expect(await client.waitForClose())
        }
    }

    @Test func smallBodyIsIgnored() async throws {
        try await withEndpoint(limits: Self.limits) { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            try await client.send("GET", "/healthz", body: String(repeating: "x", count: 64))
            #expect(try await client.response().status == 200)
            await client.close()
        }
    }

    @Test func headersBeyondTheLimitAreRefused() async throws {
        try await withEndpoint(limits: Self.limits) { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            try await client.send("GET", "/metrics", headers: [("X-Filler", String(repeating: "y", count: 2000))])
            let response = try await client.response()
            #expect(response.status == 400)
            #expect(await client.waitForClose())
        }
    }

    @Test func unparsableRequestIsAnswered400AndClosed() async throws {
        try await withEndpoint { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            try await client.sendRaw("HELLO THERE\r\n\r\n")
            #expect(try await client.response().status == 400)
            #expect(await client.waitForClose())
            // The listener itself is unharmed.
            #expect(try await HTTPTestClient.get(port: port, "/healthz").status == 200)
        }
    }

    @Test func gracefulShutdownClosesTheListenerAndConnections() async throws {
        let server = ObservabilityServer(
            host: "127.0.0.1", port: 0, registry: .init(), readiness: { .ready },
            group: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "observability-test"))
        let port = try #require(try await server.start().port)
        let group = ServiceGroup(
            configuration: .init(services: [server], gracefulShutdownSignals: [], logger: Logger(label: "test")))
        try await withThrowingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            let client = try await HTTPTestClient.connect(port: port)
            try await client.send("GET", "/healthz")
            #expect(try await client.response().status == 200)
            await group.triggerGracefulShutdown()
            #expect(await client.waitForClose())
            try await tasks.waitForAll()
        }
        #expect(server.localAddress == nil)
    }
}
