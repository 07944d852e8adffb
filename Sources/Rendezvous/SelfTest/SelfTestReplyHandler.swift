import NIOCore
import RendezvousProtocol
import Synchronization

/// When the self-test last heard a parseable reply. Written by `SelfTestReplyHandler` on the event loop, read
/// by `SelfTestWatchdog` each tick.
final class SelfTestReplyClock: Sendable {
    /// Guards the instant of the latest reply (the start of the attempt until one arrives).
    private let lastReply: Mutex<ContinuousClock.Instant>

    init(start: ContinuousClock.Instant) {
        lastReply = Mutex(start)
    }

    func recordReply() {
        lastReply.withLock { $0 = ContinuousClock.now }
    }

    func silence(at now: ContinuousClock.Instant) -> Duration {
        now - lastReply.withLock { $0 }
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
