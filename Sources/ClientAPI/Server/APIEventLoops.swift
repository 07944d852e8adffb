import NIOCore
import NIOPosix
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// The client API's own event loops, one per core, whose threads run at a lower priority (nice 10 on
/// Linux, like the peer store's writer). hbbs's UDP thread runs at nice 0, so on a busy core the
/// scheduler favours it over HTTP work, so a flood of HTTP requests delays the rendezvous heartbeats
/// less (docs/performance.md: UDP p99 under HTTP load from 6× to about 3× idle; SCHED_IDLE reached 2×
/// but halved HTTP throughput and lets any busy process on the host starve the API). Hummingbird's
/// route handlers run on the cooperative pool, unaffected. A service, listed before the API listener
/// so that it stops after it: the loops shut down once the last connection is gone.
public final class APIEventLoops: Service, Sendable {
    public let group: MultiThreadedEventLoopGroup

    public init(threads: Int = System.coreCount, niceness: Int32 = 10) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        // Each loop runs this before anything else submitted to it (channels come later).
        for loop in group.makeIterator() {
            loop.execute { Self.lowerPriority(by: niceness) }
        }
    }

    /// Lowers the calling thread alone: on Linux the nice value is per thread, and `PRIO_PROCESS` with
    /// id 0 names the calling thread (`gettid` is not visible to Swift's Glibc module).
    static func lowerPriority(by niceness: Int32) {
        #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Idempotent; the loops' channels should be closed first.
    public func shutdown() async {
        try? await group.shutdownGracefully()
    }
}
