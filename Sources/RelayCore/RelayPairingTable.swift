import RustDeskCore

/// The waiting table of hbbr.md §5 step 5: relay halves parked by uuid until their partner arrives.
///
/// Pure and generic over what a parked "side" is, so the NIO layer can park TCP or WebSocket
/// connections alike. Check-and-insert is one call, so two simultaneous arrivals cannot both park.
/// Bounded: beyond `capacity` waiting entries a new arrival is refused. The relay server's
/// `RelayWaitingRoom` owns one behind a lock.
public struct RelayPairingTable<Side> {
    public enum Decision {
        /// The partner was waiting and has been removed from the table: relay with it.
        case pair(with: Side)
        /// Nobody was waiting: this side is parked until the deadline.
        case park(until: Milliseconds)
        /// The table is full; close this side.
        case reject
    }

    private struct Entry {
        var id: UInt64
        var side: Side
        var deadline: Milliseconds
    }

    public let capacity: Int
    private var waiting: [String: Entry] = [:]

    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    public var count: Int { waiting.count }

    /// A side with connection `id` presents `uuid` at `now`.
    public mutating func arrive(
        uuid: String, id: UInt64, side: Side, now: Milliseconds, waitFor: Milliseconds
    ) -> Decision {
        if let partner = waiting.removeValue(forKey: uuid) {
            return .pair(with: partner.side)
        }
        if waiting.count >= capacity {
            _ = removeExpired(now: now)
            guard waiting.count < capacity else { return .reject }
        }
        let deadline = now + waitFor
        waiting[uuid] = Entry(id: id, side: side, deadline: deadline)
        return .park(until: deadline)
    }

    /// Removes connection `id` parked under `uuid` (its wait ended or it closed); nil when it has been
    /// paired meanwhile or another connection now waits under that uuid.
    public mutating func remove(uuid: String, id: UInt64) -> Side? {
        guard let entry = waiting[uuid], entry.id == id else { return nil }
        waiting[uuid] = nil
        return entry.side
    }

    /// Removes and returns every side whose deadline has passed.
    public mutating func removeExpired(now: Milliseconds) -> [Side] {
        let expired = waiting.filter { $0.value.deadline <= now }
        for uuid in expired.keys { waiting[uuid] = nil }
        return expired.values.map(\.side)
    }
}
