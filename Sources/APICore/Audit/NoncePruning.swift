import Synchronization

/// Decides when the audit service forgets old nonces: at most once per `intervalSeconds`, claimed by
/// the first request after the interval, so no timer is needed and concurrent requests prune once.
public final class NoncePruning: Sendable {
    public let intervalSeconds: Int64
    /// Guards the Unix time of the last prune (0 = never).
    private let last = Mutex<Int64>(0)

    public init(intervalSeconds: Int64 = 3600) {
        self.intervalSeconds = intervalSeconds
    }

    /// True for the one caller that should prune now.
    func claim(now: Int64) -> Bool {
        last.withLock { last in
            guard now - last >= intervalSeconds else { return false }
            last = now
            return true
        }
    }
}
