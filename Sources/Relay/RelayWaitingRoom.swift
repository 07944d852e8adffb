import RelayCore
import RustDeskCore
import Synchronization

/// The relay server's waiting table (hbbr.md §5): halves parked by uuid, decided in one place so the
/// pairing race has a single winner. Shared by every connection handler of a `RelayServer`.
final class RelayWaitingRoom: Sendable {
    /// Guards the table; held for one `RelayHandshakeRules.arrive` or removal.
    private let table: Mutex<RelayPairingTable<RelaySide>>
    private let nextID = Atomic<UInt64>(1)

    init(capacity: Int) {
        table = Mutex(RelayPairingTable(capacity: capacity))
    }

    func makeID() -> UInt64 { nextID.wrappingAdd(1, ordering: .relaxed).oldValue }

    var count: Int { table.withLock { $0.count } }

    /// The handshake rule for `side`'s first unit, run against the table under its lock.
    func arrive(
        _ request: RelayRequest?, side: RelaySide, licenceKey: String, directRelay: Bool, now: Milliseconds,
        waitFor: Milliseconds
    ) -> RelayHandshakeRules.Action<RelaySide> {
        table.withLock {
            RelayHandshakeRules.arrive(
                request, side: side, id: side.id, licenceKey: licenceKey, directRelay: directRelay, table: &$0,
                now: now, waitFor: waitFor)
        }
    }

    func remove(uuid: String, id: UInt64) -> RelaySide? {
        table.withLock { $0.remove(uuid: uuid, id: id) }
    }
}
