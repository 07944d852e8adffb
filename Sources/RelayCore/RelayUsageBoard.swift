import RustDeskCore
import Synchronization

/// The usage entries of active relays, keyed `"<ip>:<port>"` of the second connection (hbbr.md §5,
/// §7 `usage`). Relays publish once per accounting period and remove their entry when they end.
public final class RelayUsageBoard: Sendable {
    /// Guards the entries; held for one dictionary operation.
    private let entries = Mutex<[String: RelayAccounting.Usage]>([:])

    public init() {}

    public func publish(_ key: String, _ usage: RelayAccounting.Usage) {
        entries.withLock { $0[key] = usage }
    }

    public func remove(_ key: String) {
        entries.withLock { $0[key] = nil }
    }

    public var snapshot: [String: RelayAccounting.Usage] { entries.withLock { $0 } }

    /// The console's `usage` lines: entries with elapsed > 0, most bits first.
    public func report() -> String {
        snapshot.filter { $0.value.elapsed > 0 }
            .sorted { $0.value.total > $1.value.total }
            .map { Self.line(key: $0.key, usage: $0.value) }
            .joined()
    }

    static func line(key: String, usage: RelayAccounting.Usage) -> String {
        let megabytes = Double(usage.total) / 1024 / 1024 / 8
        let average = usage.total / usage.elapsed
        return "\(key): \(usage.elapsed / 1000)s \(fixedTwoDecimals(megabytes))MB \(usage.highest)kb/s"
            + " \(average)kb/s \(usage.current)kb/s\n"
    }

    /// `{:.2}` of Rust: round half to even on the exact binary value, as printf does.
    static func fixedTwoDecimals(_ value: Double) -> String {
        let scaled = (value * 100).rounded(.toNearestOrEven)
        guard scaled.isFinite, abs(scaled) < 9e15 else { return "\(value)" }
        let cents = Int64(scaled)
        let whole = cents / 100
        let fraction = abs(cents % 100)
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
