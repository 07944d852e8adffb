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
    /// Guards the accounting; held for the arithmetic of one unit or tick. Lock order: this lock,
    /// then the IP lists' locks, never the reverse.
    private let accounting: Mutex<RelayAccounting>
    private let ended = Atomic(false)

    init(controls: RelayControls, second: SocketAddr, logger: Logger) {
        self.controls = controls
        usageKey = "\(second.ip):\(second.port)"
        relayIP = second.ip.normalized.description
        self.logger = logger
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

    /// Marks the relay ended once; true for the first caller, which removes the usage entry.
    func end() -> Bool {
        guard !ended.exchange(true, ordering: .relaxed) else { return false }
        controls.usage.remove(usageKey)
        return true
    }

    var hasEnded: Bool { ended.load(ordering: .relaxed) }

    private func closePeriodIfDue(_ state: inout RelayAccounting, now: Milliseconds) -> RelayAccounting.Period? {
        guard state.isPeriodDue(now: now) else { return nil }
        return state.closePeriod(
            now: now, isBlocked: controls.blocklist.contains(relayIP),
            isBlacklisted: controls.blacklist.contains(relayIP), downgradeStartCheck: controls.downgradeStartCheck)
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
