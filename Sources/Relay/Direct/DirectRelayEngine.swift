import CSocketBatch
import Logging
import RelayCore
import RustDeskCore

#if canImport(Glibc)
    import Glibc
#endif

/// The loop of `DirectRelayLoop`'s thread: level-triggered epoll over the sockets of every direct
/// pair. A readable socket is read into a shared 64 KiB buffer and each read is sent straight to the
/// partner (up to 8 full reads per wake-up); what the partner does not take waits in its outbox, and the reading
/// side is not read again until the outbox drains (the backpressure of `RelayForwarder`, at one
/// read's worth instead of the water marks). An idle pair holds no buffer at all.
///
/// Everything here belongs to the thread; other threads reach it only through `DirectRelayInbox`.
final class DirectRelayEngine {
    struct Timing: Sendable {
        var checkInterval: Milliseconds
        var idleTimeout: Milliseconds
        var drainTimeout: Milliseconds
    }

    private struct Entry {
        let pair: DirectRelayPair
        let half: DirectRelayHalf
    }

    static let readSize = 64 * 1024
    static let eventsPerWait = 256
    /// Full reads taken from one socket per wake-up before the others get their turn.
    static let readsPerEvent = 8

    private let pollFD: Int32
    private let wakeFD: Int32
    private let inbox: DirectRelayInbox
    private let timing: Timing
    private let logger: Logger
    /// The relay's clock (`RelayControls.now`), read once per wake-up: accounting, caps and deadlines
    /// all use `now`, which is never more than one batch of events old.
    private let clock: @Sendable () -> Milliseconds
    private var now: Milliseconds
    private let scratch: UnsafeMutableRawBufferPointer
    /// Indexed by descriptor number (the kernel hands out the lowest free ones, so this stays dense).
    private var entries: [Entry?] = []
    private var pairs: [ObjectIdentifier: DirectRelayPair] = [:]
    /// Halves with a pause or a drain deadline, looked at after every wait.
    private var timed: [ObjectIdentifier: (pair: DirectRelayPair, half: DirectRelayHalf)] = [:]
    private var nextCheck: Milliseconds

    init(
        pollFD: Int32, wakeFD: Int32, inbox: DirectRelayInbox, timing: Timing,
        clock: @escaping @Sendable () -> Milliseconds, logger: Logger
    ) {
        self.pollFD = pollFD
        self.wakeFD = wakeFD
        self.inbox = inbox
        self.timing = timing
        self.clock = clock
        self.logger = logger
        scratch = .allocate(byteCount: Self.readSize, alignment: 16)
        now = clock()
        nextCheck = now + timing.checkInterval
    }

    deinit {
        scratch.deallocate()
    }

    /// Runs until the inbox says stop, then closes every pair.
    func run() {
        var fds = [Int32](repeating: 0, count: Self.eventsPerWait)
        var events = [UInt32](repeating: 0, count: Self.eventsPerWait)
        while true {
            let timeout = pollTimeout()
            let count = fds.withUnsafeMutableBufferPointer { fds in
                events.withUnsafeMutableBufferPointer { events in
                    rd_poll_wait(pollFD, fds.baseAddress, events.baseAddress, Int32(Self.eventsPerWait), timeout)
                }
            }
            now = clock()
            if count < 0, errno != EINTR {
                logger.error("direct relay poll failed", metadata: ["errno": "\(errno)"])
                break
            }
            var woken = false
            for index in 0..<max(0, Int(count)) {
                if fds[index] == wakeFD {
                    woken = true
                } else {
                    handle(fd: fds[index], events: events[index])
                }
            }
            // New pairs only after this batch: a socket closed above may already have given its
            // descriptor number to one of them, and a stale event must not reach it.
            if woken, !takeInbox() { break }
            runTimers()
        }
        closeEverything()
    }

    // MARK: adoption

    /// Adopts what the inbox holds; false once a stop was asked for.
    private func takeInbox() -> Bool {
        var counter: UInt64 = 0
        _ = read(wakeFD, &counter, MemoryLayout<UInt64>.size)
        let (adoptions, stopping) = inbox.take()
        for adoption in adoptions {
            if stopping { adoption.discard() } else { adopt(adoption) }
        }
        return !stopping
    }

    private func adopt(_ adoption: DirectRelayAdoption) {
        let first = DirectRelayHalf(fd: adoption.first.fd, registeredEvents: 0)
        let second = DirectRelayHalf(fd: adoption.second.fd, registeredEvents: 0)
        let pair = DirectRelayPair(session: adoption.session, first: first, second: second)
        // Closing a descriptor also takes it out of the epoll set, so a half-done registration is undone.
        guard rd_poll_add(pollFD, first.fd, 0) == 0, rd_poll_add(pollFD, second.fd, 0) == 0 else {
            logger.warning("direct relay could not watch a pair", metadata: ["errno": "\(errno)"])
            return adoption.discard()
        }
        inbox.halvesOpened(2)
        setEntry(Entry(pair: pair, half: first), for: first.fd)
        setEntry(Entry(pair: pair, half: second), for: second.fd)
        pairs[ObjectIdentifier(pair)] = pair
        adoption.session.begin(.tcpDirect)
        // What each half sent behind its RequestRelay, counted like any other unit.
        for (bytes, target) in [(adoption.first.leftover, second), (adoption.second.leftover, first)]
        where !bytes.isEmpty {
            guard account(bytes.count, from: pair.partner(of: target), in: pair) else { return }
            pair.session.metrics.relayed(bytes: bytes.count)
            bytes.withUnsafeBytes { target.keep($0) }
        }
        updateInterest(pair)
    }

    // MARK: events

    private func handle(fd: Int32, events: UInt32) {
        guard fd >= 0, Int(fd) < entries.count, let entry = entries[Int(fd)] else { return }
        let (pair, half) = (entry.pair, entry.half)
        if events & UInt32(RD_POLL_OUT) != 0, half.hasOutbox {
            guard half.flushOutbox() else { return closeHalf(half, of: pair) }
            if !half.hasOutbox, half.drainDeadline != nil { return finishDrain(half, of: pair) }
        }
        if events & UInt32(RD_POLL_IN) != 0, half.registeredEvents & UInt32(RD_POLL_IN) != 0 {
            readAvailable(half, of: pair)
        } else if events & UInt32(RD_POLL_ERR | RD_POLL_HUP) != 0 {
            // Not reading this side now, so only a hang-up or an error can be reported: it ends.
            closeHalf(half, of: pair)
        }
        updateInterest(pair)
    }

    /// Reads and forwards until a read comes back short (more would most likely find nothing, and
    /// a small message then costs one read), the partner stops taking bytes, or `readsPerEvent`.
    private func readAvailable(_ half: DirectRelayHalf, of pair: DirectRelayPair) {
        let partner = pair.partner(of: half)
        for _ in 0..<Self.readsPerEvent {
            let count = read(half.fd, scratch.baseAddress, scratch.count)
            if count > 0 {
                guard account(count, from: half, in: pair) else { return }
                send(UnsafeRawBufferPointer(rebasing: scratch[0..<count]), to: partner, of: pair)
                guard count == scratch.count, partner.isOpen, !partner.hasOutbox, half.pausedUntil == nil else {
                    return
                }
            } else if count == 0 {
                return closeHalf(half, of: pair)
            } else {
                if errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR { closeHalf(half, of: pair) }
                return
            }
        }
    }

    /// Accounts bytes read from `half`; false when the relay was stopped (blocklisted).
    private func account(_ count: Int, from half: DirectRelayHalf, in pair: DirectRelayPair) -> Bool {
        let verdict = pair.session.receive(bytes: count, now: now)
        if verdict.stop {
            closePair(pair)
            return false
        }
        if verdict.pause > 0 {
            half.pausedUntil = max(half.pausedUntil ?? 0, now + verdict.pause)
            timed[ObjectIdentifier(half)] = (pair, half)
        }
        return true
    }

    private func send(_ bytes: UnsafeRawBufferPointer, to target: DirectRelayHalf, of pair: DirectRelayPair) {
        guard target.isOpen else { return }
        guard let sent = target.send(bytes) else { return closeHalf(target, of: pair) }
        // Sent, or kept in the outbox just below: passed on either way.
        pair.session.metrics.relayed(bytes: bytes.count)
        if sent < bytes.count { target.keep(UnsafeRawBufferPointer(rebasing: bytes[sent...])) }
    }

    private func updateInterest(_ pair: DirectRelayPair) {
        updateInterest(pair.first, of: pair)
        updateInterest(pair.second, of: pair)
    }

    private func updateInterest(_ half: DirectRelayHalf, of pair: DirectRelayPair) {
        guard half.isOpen else { return }
        let wanted = half.wantedEvents(partner: pair.partner(of: half))
        guard wanted != half.registeredEvents else { return }
        if rd_poll_modify(pollFD, half.fd, wanted) == 0 {
            half.registeredEvents = wanted
        } else {
            closeHalf(half, of: pair)
        }
    }

    // MARK: closing

    /// One side ended (end of stream, an error, a failed write). The other gets `drainTimeout` to
    /// take what it was sent before that, then its output is shut and it closes too.
    private func closeHalf(_ half: DirectRelayHalf, of pair: DirectRelayPair) {
        guard half.isOpen else { return }
        closeSocket(half)
        if pair.session.end() {
            pair.session.logger.debug("relay closed", metadata: ["relay": "\(pair.session.usageKey)"])
        }
        let partner = pair.partner(of: half)
        if partner.isOpen, partner.drainDeadline == nil {
            if partner.hasOutbox {
                partner.pausedUntil = nil
                partner.drainDeadline = now + timing.drainTimeout
                timed[ObjectIdentifier(partner)] = (pair, partner)
                updateInterest(pair)
            } else {
                finishDrain(partner, of: pair)
            }
        }
        forgetIfFinished(pair)
    }

    private func finishDrain(_ half: DirectRelayHalf, of pair: DirectRelayPair) {
        guard half.isOpen else { return }
        shutdown(half.fd, Int32(SHUT_WR))
        closeSocket(half)
        forgetIfFinished(pair)
    }

    /// Blocklisted, idle or the server stopping: both sides close at once, without draining.
    private func closePair(_ pair: DirectRelayPair) {
        if pair.first.isOpen { closeSocket(pair.first) }
        if pair.second.isOpen { closeSocket(pair.second) }
        _ = pair.session.end()
        forgetIfFinished(pair)
    }

    private func closeSocket(_ half: DirectRelayHalf) {
        half.isOpen = false
        setEntry(nil, for: half.fd)
        timed[ObjectIdentifier(half)] = nil
        half.outbox = []
        half.outboxStart = 0
        // Closing the last descriptor of the socket also takes it out of the epoll set.
        close(half.fd)
        inbox.halvesClosed(1)
    }

    private func setEntry(_ entry: Entry?, for fd: Int32) {
        let index = Int(fd)
        guard index >= 0 else { return }
        if index >= entries.count {
            guard entry != nil else { return }
            entries.append(contentsOf: repeatElement(nil, count: index + 1 - entries.count))
        }
        entries[index] = entry
    }

    private func forgetIfFinished(_ pair: DirectRelayPair) {
        if pair.isFinished { pairs[ObjectIdentifier(pair)] = nil }
    }

    private func closeEverything() {
        inbox.stop()
        for pair in Array(pairs.values) { closePair(pair) }
        for adoption in inbox.take().adoptions { adoption.discard() }
    }

    // MARK: timers

    private func pollTimeout() -> Int32 {
        var deadline = nextCheck
        for (_, half) in timed.values {
            if let until = half.pausedUntil { deadline = min(deadline, until) }
            if let until = half.drainDeadline { deadline = min(deadline, until) }
        }
        return Int32(clamping: max(0, deadline - now))
    }

    private func runTimers() {
        for (key, (pair, half)) in timed {
            if let until = half.drainDeadline, until <= now {
                finishDrain(half, of: pair)
                continue
            }
            if let until = half.pausedUntil, until <= now {
                half.pausedUntil = nil
                updateInterest(pair)
            }
            if half.pausedUntil == nil, half.drainDeadline == nil { timed[key] = nil }
        }
        guard now >= nextCheck else { return }
        nextCheck = now + timing.checkInterval
        for pair in Array(pairs.values) {
            let session = pair.session
            if session.hasEnded { continue }
            if session.tick(now: now, idleTimeout: timing.idleTimeout) { closePair(pair) }
        }
    }
}
