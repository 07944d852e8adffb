import Prometheus

/// A registry with every kind of metric the servers export, named in their style, with labels,
/// help texts and values: what promtool and the real Prometheus get to see.
func sampleRegistry() -> PrometheusCollectorRegistry {
    let registry = PrometheusCollectorRegistry()
    let registrations = MetricNameDescriptor(
        namespace: "hbbs", metricName: "registrations", unitName: "total",
        helpText: "Registrations answered, by result.")
    registry.makeCounter(descriptor: registrations, labels: [("result", "ok")]).increment(by: Int64(5))
    registry.makeCounter(descriptor: registrations, labels: [("result", "uuid_mismatch")]).increment()
    registry.makeCounter(
        descriptor: MetricNameDescriptor(
            namespace: "hbbr", metricName: "relayed_bytes", unitName: "total",
            helpText: "Bytes forwarded between relay halves.")
    ).increment(by: Int64(123_456))
    registry.makeGauge(
        descriptor: MetricNameDescriptor(
            namespace: "hbbs", metricName: "peers_online", unitName: "",
            helpText: "Peers that sent a heartbeat in the last 30 s.")
    ).set(Double(42))
    let commit = registry.makeDurationHistogram(
        descriptor: MetricNameDescriptor(
            namespace: "hbbs", metricName: "store_commit", unitName: "seconds",
            helpText: "Time to commit one batch of registrations."),
        buckets: [.milliseconds(1), .milliseconds(10), .milliseconds(100)])
    commit.record(Duration.microseconds(700))
    commit.record(Duration.milliseconds(20))
    let sizes = registry.makeValueHistogram(
        descriptor: MetricNameDescriptor(
            namespace: "hbbs", metricName: "datagram_size", unitName: "bytes", helpText: "Size of received datagrams."),
        buckets: [64, 256, 1024])
    sizes.record(80.0)
    sizes.record(2000.0)
    return registry
}
