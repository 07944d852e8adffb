import RustDeskCore
import Synchronization

/// Owns the history of punch requests that the console's `pr` pages through (spec/hbbs.md §12).
public final class PunchRequestHistory: Sendable {
    /// Guards the bounded log.
    private let log: Mutex<PunchRequestLog>

    public init(capacity: Int = 10_000) {
        log = Mutex(PunchRequestLog(capacity: capacity))
    }

    public func record(fromIP: String, toIP: String, toID: String, now: Milliseconds) {
        log.withLock { $0.record(fromIP: fromIP, toIP: toIP, toID: toID, now: now) }
    }

    public func page(start: Int, size: Int) -> [PunchRequestLog.Entry] {
        log.withLock { $0.page(start: start, size: size) }
    }

    public var count: Int { log.withLock { $0.count } }

    public func removeAll() { log.withLock { $0.removeAll() } }
}
