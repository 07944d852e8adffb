import Prometheus

/// One Prometheus counter per case of `Event`, all created up front under one name with the case as a
/// label, so counting an event is one relaxed atomic add (no lock, no lookup by string) and every
/// series is exported from the first scrape on, at zero.
public struct EventCounters<Event: CaseIterable & Hashable & RawRepresentable>: Sendable
where Event.RawValue == String, Event: Sendable {
    private let counters: [Event: Counter]

    public init(_ registry: PrometheusCollectorRegistry, _ name: MetricNameDescriptor, label: String) {
        var counters: [Event: Counter] = [:]
        for event in Event.allCases {
            counters[event] = registry.makeCounter(descriptor: name, labels: [(label, event.rawValue)])
        }
        self.counters = counters
    }

    public func count(_ event: Event, by amount: Int = 1) {
        counters[event]?.increment(by: Int64(amount))
    }
}

extension MetricNameDescriptor {
    /// A counter's name: `<server>_<name>_total`.
    public static func counter(_ server: String, _ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: server, metricName: name, unitName: "total", helpText: help)
    }

    /// A gauge's name: `<server>_<name>[_<unit>]`.
    public static func gauge(_ server: String, _ name: String, unit: String = "", help: String) -> MetricNameDescriptor
    {
        MetricNameDescriptor(namespace: server, metricName: name, unitName: unit, helpText: help)
    }
}
