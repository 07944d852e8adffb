import NIOCore
import Synchronization

/// Peers registered over a kept-open TCP or WebSocket connection (client.md §3.5.6): ID → that
/// connection. Messages for such a peer (PunchHole, FetchLocalAddr, RequestRelay) go there instead
/// of to a UDP address. A binding lives exactly as long as its connection.
public final class PeerConnections: Sendable {
    /// Guards the ID → connection bindings.
    private let bindings = Mutex<[String: any Channel]>([:])

    public init() {}

    func bind(_ id: String, to channel: any Channel) {
        bindings.withLock { $0[id] = channel }
    }

    /// Drops `id`'s binding if it still belongs to `channel` (called when that connection closes).
    func unbind(_ id: String, from channel: any Channel) {
        bindings.withLock { table in
            if let bound = table[id], bound === channel { table[id] = nil }
        }
    }

    func connection(for id: String) -> (any Channel)? {
        bindings.withLock { $0[id] }
    }

    public var count: Int { bindings.withLock { $0.count } }
}
