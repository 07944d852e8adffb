import CSocketBatch
import NIOCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Moves a TCP↔TCP pair from NIO to `DirectRelayLoop`. Each half gives up its socket on its own event
/// loop (`takeSocket`); the second to do so hands the pair over. A half that closed first (nil)
/// closes the other half's socket, as a relay whose partner ended would.
final class RelayHandoff: Sendable {
    private let session: RelaySession
    private let loop: DirectRelayLoop
    /// Each half's socket once given up: `.some(nil)` when that half could not give it.
    private let halves = Mutex<(first: DirectRelaySocket??, second: DirectRelaySocket??)>((nil, nil))

    init(session: RelaySession, loop: DirectRelayLoop) {
        self.session = session
        self.loop = loop
    }

    /// The half that parked first; later calls are ignored (its close hook may come after its socket).
    func deliverFirst(_ socket: DirectRelaySocket?) {
        complete { halves in
            guard halves.first == nil else { return false }
            halves.first = .some(socket)
            return true
        }
    }

    /// The half that paired.
    func deliverSecond(_ socket: DirectRelaySocket?) {
        complete { halves in
            guard halves.second == nil else { return false }
            halves.second = .some(socket)
            return true
        }
    }

    private func complete(_ deliver: (inout (first: DirectRelaySocket??, second: DirectRelaySocket??)) -> Bool) {
        let ready: (DirectRelaySocket?, DirectRelaySocket?)? = halves.withLock { halves in
            guard deliver(&halves), let first = halves.first, let second = halves.second else { return nil }
            return (first, second)
        }
        guard let (first, second) = ready else { return }
        if let first, let second {
            loop.adopt(DirectRelayAdoption(first: first, second: second, session: session))
        } else {
            // The other half's client sees its connection end, as after its partner's close.
            if let first { shutdownAndClose(first.fd) }
            if let second { shutdownAndClose(second.fd) }
            _ = session.end()
        }
    }

    private func shutdownAndClose(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_WR))
        close(fd)
    }

    /// Duplicates a NIO channel's socket descriptor, on its event loop, so the connection outlives the
    /// channel; the caller delivers it and then closes the channel in the same turn of the loop (NIO
    /// reads nothing from it in between). nil when the channel has no descriptor left or the process is
    /// out of descriptors.
    static func duplicateSocket(of context: ChannelHandlerContext) -> Int32? {
        let duplicate = try? context.pipeline.syncOperations.withUnsafeTransportIfAvailable(
            of: NIOBSDSocket.Handle.self
        ) { fcntl($0, F_DUPFD_CLOEXEC, 0) }
        guard let fd = duplicate ?? nil, fd >= 0 else { return nil }
        return fd
    }
}

/// Tells a parked TCP half that its partner is TCP too and the pair moves to the direct relay.
struct RelayDirectEvent: Sendable {
    let handoff: RelayHandoff
}
