import RustDeskCore
import Synchronization

/// Owns hbbs's two per-IP tables: the RegisterPk limiter (spec/hbbs.md §6.2) and the informational
/// IP-change log (§12 `ic`). Each has its own lock, taken only here and never while another lock of
/// this class is held. Callers may hold a registry shard's lock when they call in (never the other way
/// round), so the order is always shard → table: no cycle.
public final class IPActivity: Sendable {
    /// Guards the RegisterPk limiter.
    private let blocker = Mutex(IPBlocker())
    /// Guards the IP-change log.
    private let changes = Mutex(IPChangeLog())

    public init() {}

    /// Whether `ip` may register `id` now; counts the attempt.
    public func allowRegistration(ip: String, id: String, now: Milliseconds) -> Bool {
        blocker.withLock { $0.allow(ip: ip, id: id, now: now) }
    }

    /// Notes that `id` registered from a new `ip`.
    public func recordIPChange(id: String, ip: String, now: Milliseconds) {
        changes.withLock { $0.record(id: id, ip: ip, now: now) }
    }

    /// What the console shows of one table at a time: expired entries are purged first.
    public struct Inspection<Entry: Sendable>: Sendable {
        public var count: Int
        /// The entry under the looked-up key, if any (already removed when removal was asked).
        public var entry: Entry?
        /// Every entry, when a listing was asked; a copy-on-write snapshot sorted outside the lock.
        public var entries: [String: Entry]
    }

    /// Console `ib`: purges, then looks up `key` (removing it when `remove`) and snapshots for a listing.
    public func inspectBlocker(now: Milliseconds, key: String?, remove: Bool, list: Bool) -> Inspection<IPBlocker.Entry>
    {
        blocker.withLock { blocker in
            blocker.purgeExpired(now: now)
            let count = blocker.entries.count
            let entry = key.flatMap { blocker.entries.exactValue(forKey: $0) }
            if entry != nil, remove, let key { blocker.remove(ip: key) }
            return Inspection(count: count, entry: entry, entries: list ? blocker.entries : [:])
        }
    }

    /// Console `ic`: as `inspectBlocker`, with the console's longer purge of the IP-change log.
    public func inspectChanges(now: Milliseconds, key: String?, remove: Bool, list: Bool) -> Inspection<
        IPChangeLog.Entry
    > {
        changes.withLock { changes in
            changes.purgeForConsole(now: now)
            let count = changes.entries.count
            let entry = key.flatMap { changes.entries.exactValue(forKey: $0) }
            if entry != nil, remove, let key { changes.remove(id: key) }
            return Inspection(count: count, entry: entry, entries: list ? changes.entries : [:])
        }
    }
}
