import NIOCore
import RustDeskCore

/// One relay half that has presented a valid RequestRelay: what the waiting table parks and what a
/// pairing hands to the other half. Kept free of TCP specifics beyond its channel so a WebSocket half
/// can join later (its `transport` then says how units are framed).
struct RelaySide: Sendable {
    enum Transport: Sendable {
        /// Plain TCP on PORT: switches to raw bytes when both halves are TCP.
        case tcp
    }

    /// Unique per connection, so a late timeout never removes a newer half with the same uuid.
    let id: UInt64
    let channel: any Channel
    let transport: Transport
    let remote: SocketAddr
}

/// Tells a parked half (on its own event loop) that its partner arrived and the relay starts.
struct RelayPairedEvent: Sendable {
    let partner: any Channel
    let session: RelaySession
}

/// Tells a forwarder that the bytes it handed to its partner have drained: it may read again.
struct RelayResumeEvent: Sendable {}
