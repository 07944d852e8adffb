import Prometheus
import TestSupport
import Testing

/// The real Prometheus scrapes an endpoint on loopback and answers for its counter.
@Suite("Observability: real Prometheus")
struct PrometheusScrapeTests {
    @Test func prometheusScrapesTheCounter() async throws {
        let registry = sampleRegistry()
        let counter = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "hbbs", metricName: "scrape_probe", unitName: "total", helpText: "Incremented by the test."))
        let increments = 7
        for _ in 0..<increments { counter.increment() }
        try await withEndpoint(registry: registry) { _, port in
            let target = PrometheusProcess.Target(job: "hbbs", address: "127.0.0.1:\(port)")
            try await PrometheusProcess.with(targets: [target]) { prometheus in
                let value = try await prometheus.waitForValue(
                    query: "hbbs_scrape_probe_total{job=\"hbbs\"}", timeout: .seconds(60)
                ) { $0 == Double(increments) }
                #expect(value == Double(increments))
                let labelled = try await prometheus.query("hbbs_registrations_total{result=\"ok\"}")
                #expect(labelled.map(\.value) == [5])
                #expect(labelled.first?.labels["instance"] == "127.0.0.1:\(port)")
                #expect(try await prometheus.query("up{job=\"hbbs\"}").map(\.value) == [1])
            }
        }
    }
}
