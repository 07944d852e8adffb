import NIOCore
import RendezvousProtocol
import Synchronization

/// How long the self-test's probes have gone unanswered. Written by the probe loop and by `SelfTestReplyHandler`
/// on the event loop, read by `SelfTestWatchdog` each tick. Times are the probe loop's clock, as time since it
/// started.
///
/// Silence counts from the oldest probe sent since the last reply, not from the last reply itself: when the
/// probing task is starved (a loaded host, a paused VM) no probe is outstanding, and the UDP path it guards must
/// not be blamed for that. With probes every second the two readings agree, as spec/hbbs.md §3.2 intends.
final class SelfTestReplyClock: Sendable {
    /// When the oldest unanswered probe was sent; nil while every probe sent so far has been answered.
    private let unansweredSince: Mutex<Duration?> = Mutex(nil)
    private let answered = Atomic(false)

    init() {}

    /// Called just before a probe is sent, so a reply that beats the send's completion still clears it.
    func recordProbe(at instant: Duration) {
        unansweredSince.withLock { since in
            if since == nil { since = instant }
        }
    }

    func recordReply() {
        unansweredSince.withLock { $0 = nil }
        answered.store(true, ordering: .relaxed)
    }

    /// Forgets every probe: a new target starts in silence of zero.
    func reset() { unansweredSince.withLock { $0 = nil } }

    /// Whether any probe has ever been answered (readiness waits for the first answer).
    var everAnswered: Bool { answered.load(ordering: .relaxed) }

    /// Whether every probe sent so far has been answered.
    var allAnswered: Bool { unansweredSince.withLock { $0 == nil } }

    func silence(at now: Duration) -> Duration {
        guard let since = unansweredSince.withLock({ $0 }) else { return .zero }
        return now - since
    }
}

/// Inbound side of the self-test socket: any datagram that parses as a RendezvousMessage counts as a reply,
/// whoever sent it, as in the reference.
final class SelfTestReplyHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let clock: SelfTestReplyClock

    init(clock: SelfTestReplyClock) {
        self.clock = clock
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        if (try? Hbb_RendezvousMessage(serializedBytes: Array(envelope.data.readableBytesView))) != nil {
            clock.recordReply()
        }
    }

    /// A UDP read error (e.g. an ICMP-triggered refusal) must not end the test; silence is what counts.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
