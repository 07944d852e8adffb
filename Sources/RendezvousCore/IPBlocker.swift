import RustDeskCore

/// The per-source-IP limit on RegisterPk (spec/hbbs.md §6.2): at most 31 counted requests in a
/// burst whose gaps stay ≤ 60 s, and a bounded set of distinct IDs per IP per day.
///
/// Owned by the UDP handler's registration path behind one lock; the table is capped so a sender
/// rotating through many source addresses cannot grow it without bound (oldest entries go first).
public struct IPBlocker: Sendable {
    public struct Entry: Sendable, Equatable {
        public var count: Int
        public var countTime: Milliseconds
        public var ids: Set<String>
        public var idsTime: Milliseconds
    }

    public static let burstWindowSeconds: Int64 = 60
    public static let maximumBurst = 30
    public static let idWindowSeconds: Int64 = 86_400
    public static let maximumIDs = 300

    public private(set) var entries: [String: Entry] = [:]
    public let capacity: Int

    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    /// Whether a RegisterPk for `id` from `ip` (the IP's text) may proceed; updates the state.
    public mutating func allow(ip: String, id: String, now: Milliseconds) -> Bool {
        guard var entry = entries[ip] else {
            makeRoom(now: now)
            entries[ip] = Entry(count: 0, countTime: now, ids: [], idsTime: now)
            return true
        }
        if now.wholeSeconds(since: entry.countTime) > Self.burstWindowSeconds {
            entry.count = 0
        } else if entry.count > Self.maximumBurst {
            return false
        }
        entry.count += 1
        entry.countTime = now
        defer { entries[ip] = entry }
        let isNew = !entry.ids.contains(id)
        if now.wholeSeconds(since: entry.idsTime) > Self.idWindowSeconds {
            entry.ids.removeAll()
        } else if entry.ids.count > Self.maximumIDs {
            return !isNew
        }
        if isNew { entry.ids.insert(id) }
        entry.idsTime = now
        return true
    }

    public subscript(ip: String) -> Entry? { entries[ip] }

    @discardableResult
    public mutating func remove(ip: String) -> Entry? { entries.removeValue(forKey: ip) }

    /// Drops entries whose burst window and ID window have both expired (console `ib` does this first).
    public mutating func purgeExpired(now: Milliseconds) {
        entries = entries.filter { _, entry in
            !(now.wholeSeconds(since: entry.countTime) > Self.burstWindowSeconds
                && now.wholeSeconds(since: entry.idsTime) > Self.idWindowSeconds)
        }
    }

    /// At capacity: purge expired entries, then evict the least recently counted eighth, so the
    /// occasional O(n log n) sweep is amortised over many inserts.
    private mutating func makeRoom(now: Milliseconds) {
        guard entries.count >= capacity else { return }
        purgeExpired(now: now)
        guard entries.count >= capacity else { return }
        let evictCount = max(1, capacity / 8)
        for (ip, _) in entries.sorted(by: { $0.value.countTime < $1.value.countTime }).prefix(evictCount) {
            entries.removeValue(forKey: ip)
        }
    }
}
