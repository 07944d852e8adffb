import CSocketBatch
import Logging
import NIOCore
import RelayCore
import RustDeskCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A socket taken out of NIO for a direct relay, with the bytes that arrived behind its RequestRelay.
struct DirectRelaySocket: Sendable {
    let fd: Int32
    let leftover: [UInt8]
}

/// A pair handed to `DirectRelayLoop`: the half that parked first, the half that paired, their session.
struct DirectRelayAdoption: Sendable {
    let first: DirectRelaySocket
    let second: DirectRelaySocket
    let session: RelaySession

    /// Drops a pair the loop will not run (it is stopping).
    func discard() {
        close(first.fd)
        close(second.fd)
        _ = session.end()
    }
}

/// What other threads hand `DirectRelayEngine`: pairs to adopt and the stop request. Also counts the
/// sockets the engine has adopted and not closed yet, for `RelayServer.directConnectionCount`.
final class DirectRelayInbox: Sendable {
    private let state = Mutex<(adoptions: [DirectRelayAdoption], stopping: Bool)>(([], false))
    private let openHalves = Atomic<Int>(0)

    /// False when the loop is stopping and will not take it.
    func put(_ adoption: DirectRelayAdoption) -> Bool {
        state.withLock { state in
            guard !state.stopping else { return false }
            state.adoptions.append(adoption)
            return true
        }
    }

    func stop() {
        state.withLock { $0.stopping = true }
    }

    func take() -> (adoptions: [DirectRelayAdoption], stopping: Bool) {
        state.withLock { state in
            defer { state.adoptions = [] }
            return (state.adoptions, state.stopping)
        }
    }

    func halvesOpened(_ count: Int) {
        openHalves.add(count, ordering: .relaxed)
    }

    func halvesClosed(_ count: Int) {
        openHalves.subtract(count, ordering: .relaxed)
    }

    var halves: Int { openHalves.load(ordering: .relaxed) }
}

/// hbbr's direct relay: TCP↔TCP pairs, once paired, leave NIO for a thread of their own (`hbbr-relay`
/// in `top -H`) that moves their bytes with plain `read`/`send` over epoll (`DirectRelayEngine`).
///
/// Why not NIO like everything else (design.md prefers NIO handlers): a 64-byte ping-pong through the
/// NIO pipeline spent a third of hbbr's CPU in user space (selector, pipeline, pending writes,
/// reference counting), and reached 0.71 of the C reference's round trips. The kernel work per message
/// is the same either way; this loop adds about 12 % of user time to it and is on par with the C
/// reference (docs/performance.md). Pairs with a WebSocket side need
/// framing and stay on `RelayForwarder`. The handshake (RequestRelay, licence, pairing) stays in NIO;
/// `RelayHandoff` duplicates each socket's descriptor there and closes the NIO channel.
final class DirectRelayLoop: Sendable {
    private let inbox = DirectRelayInbox()
    private let pollFD: Int32
    private let wakeFD: Int32
    private let timing: DirectRelayEngine.Timing
    private let clock: @Sendable () -> Milliseconds
    private let logger: Logger
    private struct Lifecycle {
        var thread: DedicatedThread?
        var closing = false
        var descriptorsClosed = false
    }

    /// Guards the thread's lifecycle: started on the first adoption, never after `close()` began.
    private let lifecycle = Mutex(Lifecycle())

    /// nil when the kernel refuses an epoll set or an eventfd; hbbr then relays every pair through NIO.
    init?(settings: RelaySettings, controls: RelayControls, logger: Logger) {
        let pollFD = rd_poll_create()
        let wakeFD = rd_event_fd()
        guard pollFD >= 0, wakeFD >= 0, rd_poll_add(pollFD, wakeFD, UInt32(RD_POLL_IN)) == 0 else {
            if pollFD >= 0 { Glibc.close(pollFD) }
            if wakeFD >= 0 { Glibc.close(wakeFD) }
            return nil
        }
        self.pollFD = pollFD
        self.wakeFD = wakeFD
        timing = DirectRelayEngine.Timing(
            checkInterval: Self.milliseconds(settings.checkInterval),
            idleTimeout: Self.milliseconds(settings.idleTimeout),
            drainTimeout: Self.milliseconds(settings.drainTimeout))
        clock = controls.now
        self.logger = logger
    }

    /// Sockets of direct pairs still open.
    var openHalves: Int { inbox.halves }

    /// Takes over a pair; closes it when the loop has stopped.
    func adopt(_ adoption: DirectRelayAdoption) {
        guard inbox.put(adoption) else { return adoption.discard() }
        startIfNeeded()
        wake()
    }

    /// Closes every direct pair and waits for the thread to end. Idempotent.
    func close() async {
        inbox.stop()
        let thread = lifecycle.withLock { state in
            state.closing = true
            return state.thread
        }
        if let thread {
            wake()
            await thread.finished()
        }
        for adoption in inbox.take().adoptions { adoption.discard() }
        let closeNow = lifecycle.withLock { state in
            defer { state.descriptorsClosed = true }
            return !state.descriptorsClosed
        }
        if closeNow {
            Glibc.close(pollFD)
            Glibc.close(wakeFD)
        }
    }

    private func startIfNeeded() {
        lifecycle.withLock { state in
            guard state.thread == nil, !state.closing else { return }
            // The engine is created on its thread: its state belongs to that thread alone.
            state.thread = DedicatedThread(name: "hbbr-relay") { [self] in
                DirectRelayEngine(
                    pollFD: pollFD, wakeFD: wakeFD, inbox: inbox, timing: timing, clock: clock, logger: logger
                ).run()
            }
        }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, MemoryLayout<UInt64>.size)
    }

    private static func milliseconds(_ amount: TimeAmount) -> Milliseconds {
        Milliseconds(amount.nanoseconds / 1_000_000)
    }
}
