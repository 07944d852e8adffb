import RustDeskCore

/// IP_CHANGES (spec/hbbs.md §4.2, §5.2 step 7): per peer ID, the IPs its accepted RegisterPk came
/// from within a 180 s window. Informational only (console `ic`); capped against hostile growth.
public struct IPChangeLog: Sendable {
    public struct Entry: Sendable, Equatable {
        public var time: Milliseconds
        public var counts: [String: Int]
    }

    public static let windowSeconds: Int64 = 180

    public private(set) var entries: [String: Entry] = [:]
    public let capacity: Int

    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    public mutating func record(id: String, ip: String, now: Milliseconds) {
        guard var entry = entries[id] else {
            makeRoom()
            entries[id] = Entry(time: now, counts: [ip: 1])
            return
        }
        if now.wholeSeconds(since: entry.time) > Self.windowSeconds {
            entry = Entry(time: now, counts: [ip: 1])
        } else {
            entry.counts[ip, default: 0] += 1
        }
        entries[id] = entry
    }

    public subscript(id: String) -> Entry? { entries[id] }

    @discardableResult
    public mutating func remove(id: String) -> Entry? { entries.removeValue(forKey: id) }

    /// What the console keeps: entries younger than two windows that saw at least two IPs.
    public mutating func purgeForConsole(now: Milliseconds) {
        entries = entries.filter { _, entry in
            now.wholeSeconds(since: entry.time) < 2 * Self.windowSeconds && entry.counts.count > 1
        }
    }

    private mutating func makeRoom() {
        guard entries.count >= capacity else { return }
        let evictCount = max(1, capacity / 8)
        for (id, _) in entries.sorted(by: { $0.value.time < $1.value.time }).prefix(evictCount) {
            entries.removeValue(forKey: id)
        }
    }
}
