import RendezvousCore
import RustDeskCore
import Synchronization

/// Counters of what hbbs did and refused, for logs, tests and (later) a metrics endpoint. Relaxed
/// atomics: each is an independent tally, no ordering with other memory is implied.
public final class RendezvousMetrics: Sendable {
    public let datagramsReceived = Atomic<Int>(0)
    /// Datagrams that did not parse as a RendezvousMessage.
    public let malformedDatagrams = Atomic<Int>(0)
    /// Valid datagrams of a kind hbbs does not serve over UDP (§5.3).
    public let ignoredDatagrams = Atomic<Int>(0)
    public let registerPeer = Atomic<Int>(0)
    public let registerPk = Atomic<Int>(0)
    public let peersSaved = Atomic<Int>(0)
    public let saveFailures = Atomic<Int>(0)
    public let tcpConnections = Atomic<Int>(0)
    /// TCP connections closed for a bad frame or an unparsable message.
    public let malformedFrames = Atomic<Int>(0)
    public let idleTimeouts = Atomic<Int>(0)
    public let punchHoleRequests = Atomic<Int>(0)
    /// PORT connections whose client completed the secure-TCP handshake.
    public let secureSessions = Atomic<Int>(0)
    /// PORT connections closed for a bad KeyExchange reply, an unparsable first unit or a failed MAC.
    public let secureChannelFailures = Atomic<Int>(0)

    /// Every connection hbbs closed for misbehaving, by reason.
    public let closeReasons = CloseReasonCounter()

    public init() {}

    @inline(__always)
    static func increment(_ counter: borrowing Atomic<Int>) {
        counter.wrappingAdd(1, ordering: .relaxed)
    }
}
