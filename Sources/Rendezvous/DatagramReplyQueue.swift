import NIOCore
import Synchronization

/// Replies that become ready off the event loop (RegisterPk answers sent after a commit), sent in
/// groups: the first reply of a group schedules one task on the channel's loop, which writes every
/// reply queued by then and flushes once, so a commit of N rows costs one `sendmmsg`, not N `sendmsg`
/// calls and N loop wake-ups. Owned by the UDP channel's `UDPRegistrationHandler`.
final class DatagramReplyQueue: Sendable {
    private let channel: any Channel
    /// Guards the replies waiting for the scheduled task; non-empty means that task is scheduled.
    private let waiting = Mutex<[AddressedEnvelope<ByteBuffer>]>([])

    init(channel: any Channel) {
        self.channel = channel
    }

    /// Safe from any thread.
    func send(_ reply: AddressedEnvelope<ByteBuffer>) {
        let first = waiting.withLock { waiting in
            waiting.append(reply)
            return waiting.count == 1
        }
        if first { channel.eventLoop.execute { self.sendWaiting() } }
    }

    private func sendWaiting() {
        let replies = waiting.withLock { waiting in
            var taken: [AddressedEnvelope<ByteBuffer>] = []
            swap(&taken, &waiting)
            return taken
        }
        for reply in replies { channel.write(reply, promise: nil) }
        channel.flush()
    }
}
