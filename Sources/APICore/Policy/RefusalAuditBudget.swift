import Synchronization

/// How many refused connections per second reach the alarm audit: anyone can send refused requests
/// as fast as the network allows, and each record is a write. Past the budget a refusal is still
/// refused and counted in the metrics, only not written.
public final class RefusalAuditBudget: Sendable {
    public let perSecond: Int
    /// Guards the current second and what it has spent.
    private let spent = Mutex<(second: Int64, count: Int)>((0, 0))

    public init(perSecond: Int = 10) {
        self.perSecond = perSecond
    }

    /// True when a record may be written at `now` (Unix seconds).
    func take(now: Int64) -> Bool {
        spent.withLock { spent in
            if spent.second != now { spent = (now, 0) }
            guard spent.count < perSecond else { return false }
            spent.count += 1
            return true
        }
    }
}
