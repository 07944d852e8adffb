import NIOCore
import RelayCore
import RustDeskCore

/// One relay half that has presented a valid RequestRelay: what the waiting table parks and what a
/// pairing hands to the other half. Its `transport` decides how units cross the pair (hbbr.md §6.1).
struct RelaySide: RelayHalf, Sendable {
    typealias Transport = RelayTransport

    /// Unique per connection, so a late timeout never removes a newer half with the same uuid.
    let id: UInt64
    let channel: any Channel
    let transport: Transport
    let remote: SocketAddr
}

/// Tells a parked half (on its own event loop) that its partner arrived and the relay starts.
struct RelayPairedEvent: Sendable {
    let partner: any Channel
    let partnerTransport: RelaySide.Transport
    let session: RelaySession
}

/// Tells a forwarder that the bytes it handed to its partner have drained: it may read again.
struct RelayResumeEvent: Sendable {}
