import Observability
import Prometheus
import Synchronization
import TestSupport
import Testing

@Suite("Observability: routes")
struct ObservabilityRoutesTests {
    @Test func healthz() async throws {
        try await withEndpoint { _, port in
            let response = try await HTTPTestClient.get(port: port, "/healthz")
            #expect(response.status == 200)
            #expect(response.text == "ok\n")
            #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        }
    }

    @Test func metricsShowsACounterAfterIncrements() async throws {
        let registry = PrometheusCollectorRegistry()
        let counter = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "hbbs", metricName: "test_events", unitName: "total", helpText: "Test."),
            labels: [("kind", "a")])
        try await withEndpoint(registry: registry) { _, port in
            let before = try await HTTPTestClient.get(port: port, "/metrics")
            #expect(before.status == 200)
            #expect(before.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(value(of: "hbbs_test_events_total{kind=\"a\"}", in: before.text) == 0)
            for _ in 0..<3 { counter.increment() }
            let after = try await HTTPTestClient.get(port: port, "/metrics?name[]=ignored")
            #expect(after.text.contains("# TYPE hbbs_test_events_total counter\n"))
            #expect(value(of: "hbbs_test_events_total{kind=\"a\"}", in: after.text) == 3)
        }
    }

    @Test func beforeScrapeRunsBeforeEveryScrape() async throws {
        let registry = PrometheusCollectorRegistry()
        let gauge = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "hbbs", metricName: "test_scrapes", unitName: "", helpText: "Test."))
        let scrapes = Atomic<Int>(0)
        let refresh: @Sendable () -> Void = {
            gauge.set(Double(scrapes.wrappingAdd(1, ordering: .relaxed).newValue))
        }
        try await withEndpoint(registry: registry, beforeScrape: refresh) { _, port in
            let first = try await HTTPTestClient.get(port: port, "/metrics")
            #expect(value(of: "hbbs_test_scrapes", in: first.text) == 1)
            let second = try await HTTPTestClient.get(port: port, "/metrics")
            #expect(value(of: "hbbs_test_scrapes", in: second.text) == 2)
            _ = try await HTTPTestClient.get(port: port, "/healthz")
            #expect(scrapes.load(ordering: .relaxed) == 2)
        }
    }

    @Test func readyzFollowsTheReadiness() async throws {
        let readiness = ReadinessSwitch()
        let current: @Sendable () -> Readiness = { readiness.current }
        try await withEndpoint(readiness: current) { _, port in
            let ready = try await HTTPTestClient.get(port: port, "/readyz")
            #expect(ready.status == 200 && ready.text == "ready\n")

            readiness.set(.notReady(reasons: ["UDP self-probe not answered for 12 s", "store refuses writes"]))
            let notReady = try await HTTPTestClient.get(port: port, "/readyz?verbose")
            #expect(notReady.status == 503)
            #expect(notReady.text == "UDP self-probe not answered for 12 s\nstore refuses writes\n")

            readiness.set(.notReady(reasons: []))
            let noReason = try await HTTPTestClient.get(port: port, "/readyz")
            #expect(noReason.status == 503 && noReason.text == "not ready\n")

            readiness.set(.ready)
            #expect(try await HTTPTestClient.get(port: port, "/readyz").status == 200)
        }
    }

    @Test(arguments: ["/", "/metrics/", "/Metrics", "/healthz/x", "/readyz.txt"])
    func otherPathsAreNotFound(path: String) async throws {
        try await withEndpoint { _, port in
            let response = try await HTTPTestClient.get(port: port, path)
            #expect(response.status == 404)
        }
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "OPTIONS"])
    func otherMethodsAreNotAllowed(method: String) async throws {
        try await withEndpoint { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            for path in ["/metrics", "/healthz", "/readyz"] {
                try await client.send(method, path)
                let response = try await client.response()
                #expect(response.status == 405)
                #expect(response.header("Allow") == "GET, HEAD")
            }
            await client.close()
        }
    }

    @Test func headAnswersWithoutABody() async throws {
        let registry = PrometheusCollectorRegistry()
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "hbbs", metricName: "test", unitName: "total", helpText: "Test.")
        ).increment()
        try await withEndpoint(registry: registry) { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            try await client.send("GET", "/metrics")
            let get = try await client.response()
            try await client.send("HEAD", "/metrics")
            let head = try await client.response(toHead: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == String(get.body.count))
            #expect(head.header("Content-Type") == get.header("Content-Type"))
            // Had the HEAD answer carried a body, it would be read as the start of this answer.
            try await client.send("GET", "/healthz")
            let next = try await client.response()
            #expect(next.statusLine == "HTTP/1.1 200 OK" && next.text == "ok\n")
            await client.close()
        }
    }

    @Test func keepAliveServesTwoRequestsOnOneConnection() async throws {
        try await withEndpoint { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            try await client.send("GET", "/healthz")
            let first = try await client.response()
            #expect(first.status == 200 && first.header("Connection") == "keep-alive")
            try await client.send("GET", "/readyz")
            let second = try await client.response()
            #expect(second.status == 200 && second.text == "ready\n")
            #expect(client.isOpen)
            await client.close()
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await withEndpoint { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            try await client.send("GET", "/healthz", headers: [("Connection", "close")])
            let response = try await client.response()
            #expect(response.status == 200 && response.header("Connection") == "close")
            #expect(await client.waitForClose())
        }
    }
}
