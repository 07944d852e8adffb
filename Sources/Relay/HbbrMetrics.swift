import Observability
import Prometheus
import RustDeskCore

/// Every event hbbr counts, one Prometheus series each, created up front in one registry: the
/// `/metrics` endpoint reads it, and so do the tests. Counting is a relaxed atomic add (gauges a
/// compare-and-swap), so nothing here takes a lock on the relay paths. docs/operations.md lists the
/// series.
public final class HbbrMetrics: Sendable {
    /// How a pair is relayed, as the `transport` label of the pair series.
    public enum PairTransport: String, CaseIterable, Sendable {
        /// TCP↔TCP moved to the direct relay thread (epoll, plain read/send).
        case tcpDirect = "tcp_direct"
        /// TCP↔TCP relayed through NIO's `RelayForwarder` (direct relay off or unavailable).
        case tcpNIO = "tcp_nio"
        /// At least one side is on the WebSocket port; always relayed through NIO.
        case webSocket = "websocket"
    }

    public let registry: PrometheusCollectorRegistry
    let connectionsClosed: EventCounters<CloseReason>
    let relayRequests: Counter
    let pairs: EventCounters<PairTransport>
    private let activePairs: [PairTransport: Gauge]
    let relayedBytes: Counter
    let pairsThrottled: Counter
    let waitingHalves: Gauge
    let consoleCommands: Counter

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        func counter(_ name: String, _ help: String) -> MetricNameDescriptor { .counter("hbbr", name, help: help) }
        connectionsClosed = EventCounters(
            registry, counter("connections_closed", "Connections hbbr closed for misbehaving, by reason."),
            label: "reason")
        relayRequests = registry.makeCounter(
            descriptor: counter(
                "relay_requests", "RequestRelay units accepted (licence and uuid valid) and parked or paired."))
        pairs = EventCounters(
            registry, counter("pairs", "Pairs whose relay started, by how they are relayed."), label: "transport")
        let active = MetricNameDescriptor.gauge(
            "hbbr", "relay_pairs_active", help: "Pairs relaying now, by how they are relayed.")
        var gauges: [PairTransport: Gauge] = [:]
        for transport in PairTransport.allCases {
            gauges[transport] = registry.makeGauge(descriptor: active, labels: [("transport", transport.rawValue)])
        }
        activePairs = gauges
        relayedBytes = registry.makeCounter(
            descriptor: counter(
                "relayed_bytes", "Bytes read from one half of a pair and passed to the other (unit payloads)."))
        pairsThrottled = registry.makeCounter(
            descriptor: counter(
                "pairs_throttled",
                "Pairs put under LIMIT_SPEED (downgraded for sustained use, or blacklisted), once per pair."))
        waitingHalves = registry.makeGauge(
            descriptor: .gauge("hbbr", "waiting_halves", help: "Relay halves parked waiting for their partner."))
        consoleCommands = registry.makeCounter(
            descriptor: counter("console_commands", "Loopback console commands run."))
    }

    /// A pair's relay started: counted, and active until `pairEnded`.
    func pairStarted(_ transport: PairTransport) {
        pairs.count(transport)
        activePairs[transport]?.increment(by: 1)
    }

    func pairEnded(_ transport: PairTransport) {
        activePairs[transport]?.decrement(by: 1)
    }

    /// Called once per relayed read or unit; one atomic add.
    func relayed(bytes: Int) {
        relayedBytes.increment(by: Int64(bytes))
    }

    /// Refreshes the gauges read from their owners rather than counted (at scrape time).
    func refreshGauges(waitingHalves count: Int) {
        waitingHalves.set(to: Double(count))
    }
}
