import RustDeskCore

/// PUNCH_REQS (spec/hbbs.md §8 step 4, console `pr`): recent punch-hole requests, oldest first.
///
/// The reference appends forever; we keep the newest `capacity` entries so memory stays bounded.
public struct PunchRequestLog: Sendable {
    public struct Entry: Sendable, Equatable {
        public var time: Milliseconds
        public var fromIP: String
        public var toIP: String
        public var toID: String
    }

    public static let duplicateWindowSeconds: Int64 = 60
    public static let duplicateScanDepth = 30

    public private(set) var entries: [Entry] = []
    /// Index of the oldest entry once the ring is full.
    private var head = 0
    public let capacity: Int

    public init(capacity: Int = 10_000) {
        self.capacity = max(Self.duplicateScanDepth, capacity)
    }

    public var count: Int { entries.count }

    /// Appends unless the newest entry (among the last 30) with the same source IP and target ID
    /// is younger than 60 s.
    public mutating func record(fromIP: String, toIP: String, toID: String, now: Milliseconds) {
        for offset in 0..<min(Self.duplicateScanDepth, entries.count) {
            let entry = self[entries.count - 1 - offset]
            if entry.fromIP == fromIP && entry.toID == toID {
                if now.wholeSeconds(since: entry.time) < Self.duplicateWindowSeconds { return }
                break
            }
        }
        let entry = Entry(time: now, fromIP: fromIP, toIP: toIP, toID: toID)
        if entries.count < capacity {
            entries.append(entry)
        } else {
            entries[head] = entry
            head = (head + 1) % capacity
        }
    }

    /// The entry at `index` counted from the oldest.
    public subscript(index: Int) -> Entry { entries[(head + index) % entries.count] }

    /// Up to `size` entries from `start` (oldest first); any start or size, however large, is safe.
    public func page(start: Int, size: Int) -> [Entry] {
        guard start >= 0, start < entries.count, size > 0 else { return [] }
        return (start..<start + min(size, entries.count - start)).map { self[$0] }
    }

    public mutating func removeAll() {
        entries.removeAll()
        head = 0
    }
}
