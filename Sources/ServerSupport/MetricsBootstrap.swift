import Metrics
import Prometheus

/// The one metrics registry of a server process. The server's own counters are made in it directly
/// (created up front, see `RendezvousMetrics`/`HbbrMetrics`); swift-metrics is bootstrapped onto the
/// same registry, so a library that reports through swift-metrics shows up on the same `/metrics`.
public enum MetricsBootstrap {
    public static func start() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}
