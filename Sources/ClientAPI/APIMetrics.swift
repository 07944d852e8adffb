import Observability
import Prometheus

/// The client API's series in hbbs's registry (docs/operations.md): requests answered by route
/// pattern and status, and logins by outcome. Route patterns (`/api/ab/peers`, `/api/ab/tags/{guid}`)
/// and statuses are few, so the per-request series are made on first use (a registry lookup);
/// login outcomes exist from the first scrape.
public struct APIMetrics: Sendable {
    public enum Login: String, CaseIterable, Sendable {
        case ok
        case secondFactor = "second_factor"
        case wrongCredentials = "wrong_credentials"
        case disabled
        case throttled
        case wrongCode = "wrong_code"
        case expired
        case unavailable
        case totpSetupRequired = "totp_setup_required"
    }

    public let registry: PrometheusCollectorRegistry
    let logins: EventCounters<Login>
    private static var requests: MetricNameDescriptor {
        .counter("hbbs", "api_requests", help: "Client API requests answered, by route pattern and HTTP status.")
    }

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        logins = EventCounters(
            registry, .counter("hbbs", "api_logins", help: "Client API login steps, by outcome."), label: "result")
    }

    func countRequest(route: String, status: Int) {
        requestCounter(route: route, status: status).increment()
    }

    /// The series of one route and status, for a caller that counts it often and keeps it.
    func requestCounter(route: String, status: Int) -> Counter {
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("status", String(status))])
    }
}
