import NIOCore
import RendezvousCore
import RustDeskCore
import Synchronization

/// tcp_punch of spec/hbbs.md §4.2, §7.3: requesters waiting for a PunchHoleResponse or
/// RelayResponse, keyed by their normalised address so the controlled peer's answer (which carries
/// that address mangled) finds the connection. Entries live only as long as their connection: the
/// connection removes itself when it closes, and a delivery takes the entry out.
public final class PunchRouter: Sendable {
    /// Guards the waiting requesters, keyed by normalised remote address.
    private let waiting = Mutex<[SocketAddr: any Channel]>([:])

    public init() {}

    /// Registers `channel` as the requester at `address` (a later request from the same address replaces it).
    public func park(_ channel: any Channel, at address: SocketAddr) {
        waiting.withLock { $0[address.normalized] = channel }
    }

    /// Removes the entry for `address` if it still belongs to `channel` (called when it closes).
    public func remove(_ channel: any Channel, at address: SocketAddr) {
        waiting.withLock { table in
            let key = address.normalized
            if let parked = table[key], parked === channel { table[key] = nil }
        }
    }

    /// Sends `message` to the requester at `address` and forgets it; false when nobody waits there.
    @discardableResult
    public func deliver(_ message: ByteBuffer, to address: SocketAddr) -> Bool {
        guard let channel = waiting.withLock({ $0.removeValue(forKey: address.normalized) }) else { return false }
        channel.writeAndFlush(message, promise: nil)
        return true
    }

    public var count: Int { waiting.withLock { $0.count } }
}
