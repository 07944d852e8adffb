import Logging
import NIOCore
import RelayCore
import RustDeskCore
import Synchronization

/// The shared state of one relayed pair (hbbr.md §6): its bandwidth accounting and its usage entry. Created by the half that arrives second; both
/// halves' `RelayForwarder`s hold it, possibly on different event loops, hence the lock and atomics.
final class RelaySession: Sendable {
    /// Which way bytes flow; each forwarder owns the direction it reads from.
    enum Direction: Int, Sendable {
        case firstToSecond = 0
        case secondToFirst = 1
    }

    /// What a forwarder does after accounting a unit or a timer tick.
    struct Verdict: Sendable {
        /// Pause reading for this long before the next read (bandwidth caps).
        var pause: Milliseconds = 0
        /// End the relay now (blocklisted relay IP, or idle).
        var stop = false
    }

    let controls: RelayControls
    /// `"<ip>:<port>"` of the second half, raw as the reference prints it.
    let usageKey: String
    /// Normalised IP text of the second half, for the list lookups (the reference's raw text never
    /// matches IPv4 entries on a dual-stack listener; the spec recommends normalising).
    let relayIP: String
    let logger: Logger
    let metrics: HbbrMetrics
    /// Guards the accounting; held for the arithmetic of one unit or tick. Lock order: this lock,
    /// then the IP lists' locks, never the reverse.
    private let accounting: Mutex<RelayAccounting>
    /// 0 before `begin`, then 1 + the index of the pair's `PairTransport` while relaying, -1 once ended:
    /// a pair counts as active only between `begin` and `end`, and a session that ends before it began
    /// (a direct handoff that failed) is never counted.
    private let lifecycle = Atomic<Int>(0)
    /// Whether `hbbr_pairs_throttled_total` has counted this pair already.
    private let throttleCounted = Atomic(false)

    init(controls: RelayControls, second: SocketAddr, metrics: HbbrMetrics, logger: Logger) {
        self.controls = controls
        usageKey = "\(second.ip):\(second.port)"
        relayIP = second.ip.normalized.description
        self.logger = logger
        self.metrics = metrics
        accounting = Mutex(controls.startAccounting())
        controls.usage.publish(usageKey, RelayAccounting.Usage())
    }

    /// Accounts `bytes` received by one half before they are written to the other.
    func receive(bytes: Int, now: Milliseconds) -> Verdict {
        var verdict = Verdict()
        let period: RelayAccounting.Period? = accounting.withLock { state in
            verdict.pause = state.receive(bytes: bytes, now: now)
            return closePeriodIfDue(&state, now: now)
        }
        verdict.stop = apply(period)
        verdict.pause = max(verdict.pause, controls.total.consume(bytes &* 8, now: now))
        return verdict
    }

    /// The periodic check: idleness, and the accounting period when no data moved.
    func tick(now: Milliseconds, idleTimeout: Milliseconds) -> Bool {
        let (idle, period) = accounting.withLock { state in
            (state.isIdle(now: now, timeout: idleTimeout), closePeriodIfDue(&state, now: now))
        }
        if idle {
            logger.debug("relay idle timeout", metadata: ["relay": "\(usageKey)"])
            return true
        }
        return apply(period)
    }

    /// The relay of this pair starts (forwarders installed, or adopted by the direct relay): counted as
    /// a pair of `transport`, active until `end`. Ignored after `end`.
    func begin(_ transport: HbbrMetrics.PairTransport) {
        let index = HbbrMetrics.PairTransport.allCases.firstIndex(of: transport) ?? 0
        guard lifecycle.compareExchange(expected: 0, desired: 1 + index, ordering: .relaxed).exchanged else { return }
        metrics.pairStarted(transport)
    }

    /// Marks the relay ended once; true for the first caller, which removes the usage entry.
    func end() -> Bool {
        let previous = lifecycle.exchange(-1, ordering: .relaxed)
        guard previous >= 0 else { return false }
        if previous > 0 { metrics.pairEnded(HbbrMetrics.PairTransport.allCases[previous - 1]) }
        controls.usage.remove(usageKey)
        return true
    }

    var hasEnded: Bool { lifecycle.load(ordering: .relaxed) < 0 }

    private func closePeriodIfDue(_ state: inout RelayAccounting, now: Milliseconds) -> RelayAccounting.Period? {
        guard state.isPeriodDue(now: now) else { return nil }
        let period = state.closePeriod(
            now: now, isBlocked: controls.blocklist.contains(relayIP),
            isBlacklisted: controls.blacklist.contains(relayIP), downgradeStartCheck: controls.downgradeStartCheck)
        // Downgraded, or found blacklisted (checked only here, so from the first period on); once per pair.
        if state.isLimited, lifecycle.load(ordering: .relaxed) > 0 { countThrottledOnce() }
        return period
    }

    private func countThrottledOnce() {
        guard !throttleCounted.exchange(true, ordering: .relaxed) else { return }
        metrics.pairsThrottled.increment()
    }

    /// Publishes a closed period; true when the relay must stop.
    private func apply(_ period: RelayAccounting.Period?) -> Bool {
        switch period {
        case nil: return false
        case .blocked:
            logger.info("relay ip blocked", metadata: ["relay": "\(usageKey)"])
            return true
        case .accounted(let usage, let downgradedNow):
            if !hasEnded { controls.usage.publish(usageKey, usage) }
            if downgradedNow {
                logger.info("relay downgraded", metadata: ["relay": "\(usageKey)", "elapsed-ms": "\(usage.elapsed)"])
            }
            return false
        }
    }
}
