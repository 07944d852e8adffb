import CSocketBatch
import RelayCore
import RustDeskCore

#if canImport(Glibc)
    import Glibc
#endif

/// One side of a directly relayed pair: its socket and the bytes read from the other side that this
/// socket has not accepted yet. Owned by `DirectRelayEngine`'s thread.
final class DirectRelayHalf {
    let fd: Int32
    var isOpen = true
    /// Bytes for this socket that a write could not take; while any remain, the partner is not read.
    var outbox: [UInt8] = []
    var outboxStart = 0
    /// Reading this side pauses until then (a bandwidth cap's debt), on the relay clock (`RelayControls.now`).
    var pausedUntil: Milliseconds?
    /// The partner has closed; this side gets until then to take its outbox, then closes too.
    var drainDeadline: Milliseconds?
    /// The epoll events this socket is registered for.
    var registeredEvents: UInt32

    init(fd: Int32, registeredEvents: UInt32) {
        self.fd = fd
        self.registeredEvents = registeredEvents
    }

    var hasOutbox: Bool { outboxStart < outbox.count }

    /// The events wanted now: reading while the partner can take more and no cap holds this side back,
    /// writing while the outbox holds bytes. Errors and hang-ups are reported regardless.
    func wantedEvents(partner: DirectRelayHalf) -> UInt32 {
        var events: UInt32 = 0
        guard isOpen else { return events }
        if partner.isOpen, drainDeadline == nil, !partner.hasOutbox, pausedUntil == nil {
            events |= UInt32(RD_POLL_IN)
        }
        if hasOutbox { events |= UInt32(RD_POLL_OUT) }
        return events
    }

    /// Keeps what a write left of `bytes` for later.
    func keep(_ bytes: UnsafeRawBufferPointer) {
        if outboxStart == outbox.count {
            outbox.removeAll(keepingCapacity: false)
            outboxStart = 0
        }
        outbox.append(contentsOf: bytes)
    }

    /// Sends as much of `bytes` as the socket takes now: the count sent, or nil when the socket failed.
    func send(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return 0 }
        var sent = 0
        while sent < bytes.count {
            let written = Glibc.send(fd, base + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            if written > 0 {
                sent += written
            } else if written == 0 || errno == EAGAIN || errno == EWOULDBLOCK {
                break
            } else if errno != EINTR {
                return nil
            }
        }
        return sent
    }

    /// Sends as much of the outbox as the socket takes. False when the socket failed.
    func flushOutbox() -> Bool {
        guard let sent = outbox.withUnsafeBytes({ send(UnsafeRawBufferPointer(rebasing: $0[outboxStart...])) }) else {
            return false
        }
        outboxStart += sent
        if !hasOutbox {
            outbox = []
            outboxStart = 0
        }
        return true
    }
}

/// A TCP↔TCP pair relayed by `DirectRelayEngine` (hbbr.md §6.1, raw mode): the same accounting, caps,
/// idle check and drain-on-close as `RelayForwarder`, on sockets taken out of NIO.
final class DirectRelayPair {
    let session: RelaySession
    let first: DirectRelayHalf
    let second: DirectRelayHalf

    init(session: RelaySession, first: DirectRelayHalf, second: DirectRelayHalf) {
        self.session = session
        self.first = first
        self.second = second
    }

    func partner(of half: DirectRelayHalf) -> DirectRelayHalf {
        half === first ? second : first
    }

    var isFinished: Bool { !first.isOpen && !second.isOpen }
}
