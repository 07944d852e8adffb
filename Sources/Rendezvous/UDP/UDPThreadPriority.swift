import CScheduling

/// The scheduling of hbbs's UDP thread. Where the process may use real-time priority (root,
/// CAP_SYS_NICE or RLIMIT_RTPRIO ≥ 1), the thread runs at SCHED_FIFO 1, the lowest real-time level:
/// it then runs the moment a datagram wakes it, ahead of the API's loops and anything else on the
/// core. Under the fair scheduler, even with a 0.1 ms slice, a core kept busy by HTTP traffic put the
/// heartbeat p99 at 8× idle; at FIFO 1 it stays at idle (docs/performance.md, issue 12).
///
/// A real-time thread that never sleeps would keep its core from everything else (the kernel leaves
/// others 5 %). So the thread measures the share of each 100 ms it spends on datagrams: above half (a
/// flood), it drops to the fair scheduler for at least a second, and returns once the share is under
/// a quarter. Without the privilege it stays fair, with the short slice. Owned by the UDP thread, which
/// calls `record` after each burst; no locks.
struct UDPThreadPriority {
    enum Level: Equatable, Sendable {
        case realtime
        case fair
    }

    enum Change: Equatable {
        /// The thread was busy for this share of the last window.
        case demoted(busyShare: Double)
        case promoted
    }

    /// Sets the calling thread's policy; each returns 0 or the errno. Real by default, replaced in tests.
    struct Scheduler {
        var realtime: () -> Int32 = { rd_schedule_realtime(1) }
        var fair: () -> Int32 = { rd_schedule_fair(UDPThreadPriority.fairSlice) }
    }

    /// A heartbeat burst takes far less; a slice shorter than a busy neighbour's lets the kernel switch
    /// to this thread sooner when it wakes (Linux 6.12+).
    static let fairSlice: UInt64 = 100_000
    static let window: UInt64 = 100_000_000
    static let floodShare = 0.5
    static let quietShare = 0.25
    static let minimumDemotion: UInt64 = 1_000_000_000

    private(set) var level: Level
    /// False once real-time priority was refused: the thread stays fair for good.
    private(set) var mayUseRealtime: Bool
    private let scheduler: Scheduler
    private var windowStart: UInt64
    private var busy: UInt64 = 0
    private var demotedUntil: UInt64 = 0

    /// Applies the starting level to the calling thread.
    init(now: UInt64, scheduler: Scheduler = Scheduler()) {
        self.scheduler = scheduler
        windowStart = now
        if scheduler.realtime() == 0 {
            level = .realtime
            mayUseRealtime = true
        } else {
            _ = scheduler.fair()
            level = .fair
            mayUseRealtime = false
        }
    }

    /// After a burst that kept the thread busy for `busyNanoseconds`, at `now` (monotonic).
    mutating func record(busyNanoseconds: UInt64, now: UInt64) -> Change? {
        guard mayUseRealtime else { return nil }
        busy += busyNanoseconds
        let elapsed = now &- windowStart
        guard elapsed >= Self.window else { return nil }
        let share = Double(busy) / Double(elapsed)
        busy = 0
        windowStart = now
        switch level {
        case .realtime where share > Self.floodShare:
            _ = scheduler.fair()
            level = .fair
            demotedUntil = now + Self.minimumDemotion
            return .demoted(busyShare: share)
        case .fair where now >= demotedUntil && share < Self.quietShare:
            guard scheduler.realtime() == 0 else {
                mayUseRealtime = false
                return nil
            }
            level = .realtime
            return .promoted
        default:
            return nil
        }
    }
}
