import NIOCore
import RustDeskCore
import RustDeskNIO
import Synchronization

/// A `ServerClock` that tests move by hand, so a server's timeouts fire when the test says so and
/// never because the machine was slow.
///
/// Frozen (the default), time stands still until `advance`, and timers fire only then. Running, it
/// also follows the real monotonic clock and its timers fire on their own as well: for servers whose
/// work needs time to pass (bandwidth caps refill with it) but whose long timeouts a test still wants
/// to reach at once. Either way `advance` runs every timer that came due, each on its own event loop,
/// and returns once they have run.
public final class TestClock: ServerTimerScheduling {
    private struct Timer {
        let deadline: Milliseconds
        let loop: any EventLoop
        let task: @Sendable () -> Void
        var real: Scheduled<Void>?
    }

    private struct State {
        var offset: Milliseconds = 0
        var timers: [Int: Timer] = [:]
        var nextID = 0
    }

    /// Far from zero, like a real monotonic clock.
    private static let start: Milliseconds = 10_000_000
    private let running: Bool
    private let realOrigin: Milliseconds
    /// Guards the offset added by `advance` and the pending timers.
    private let state = Mutex(State())

    public init(running: Bool = false) {
        self.running = running
        realOrigin = MonotonicClock.now()
    }

    /// The clock to hand to a server.
    public var serverClock: ServerClock { ServerClock(now: { [self] in now() }, scheduler: self) }

    public func now() -> Milliseconds { state.withLock { now(offset: $0.offset) } }

    private func now(offset: Milliseconds) -> Milliseconds {
        Self.start + offset + (running ? MonotonicClock.now() - realOrigin : 0)
    }

    public func schedule(
        on loop: any EventLoop, in delay: TimeAmount, _ task: @escaping @Sendable () -> Void
    ) -> ServerTimer {
        let milliseconds = max(0, (delay.nanoseconds + 999_999) / 1_000_000)
        let id = state.withLock { state in
            state.nextID += 1
            state.timers[state.nextID] = Timer(
                deadline: now(offset: state.offset) + milliseconds, loop: loop, task: task)
            return state.nextID
        }
        if running {
            let real = loop.scheduleTask(in: delay) { [self] in fire(id) }
            let stillPending = state.withLock { state in
                state.timers[id]?.real = real
                return state.timers[id] != nil
            }
            if !stillPending { real.cancel() }
        }
        return ServerTimer(cancel: { [self] in cancel(id) })
    }

    /// Moves time on by `amount`, then runs every timer that came due, oldest deadline first, and
    /// returns once each has run on its loop.
    public func advance(by amount: Duration) async {
        let milliseconds = Self.milliseconds(amount)
        let due = state.withLock { state -> [(id: Int, timer: Timer)] in
            state.offset += milliseconds
            let now = now(offset: state.offset)
            return state.timers.filter { $0.value.deadline <= now }.map { (id: $0.key, timer: $0.value) }
                .sorted { $0.timer.deadline < $1.timer.deadline }
        }
        for (id, timer) in due {
            try? await timer.loop.submit { [self] in fire(id) }.get()
        }
    }

    public func advance(seconds: Int64) async { await advance(by: .seconds(seconds)) }

    /// Timers set and neither fired nor cancelled.
    public var pendingTimers: Int { state.withLock { $0.timers.count } }

    /// Waits until at least `count` timers are pending (a connection sets its timer on its own loop,
    /// after the test's connect has returned); false if `timeout` passes first.
    public func waitForTimers(_ count: Int = 1, timeout: Duration = .seconds(10)) async -> Bool {
        await poll(timeout: timeout) { pendingTimers >= count }
    }

    /// Waits until a timer is pending that `amount` would bring due, then advances by `amount`; false
    /// (without advancing) if no such timer is set within `timeout`.
    @discardableResult
    public func advanceWhenDue(by amount: Duration, timeout: Duration = .seconds(10)) async -> Bool {
        let milliseconds = Self.milliseconds(amount)
        let due = await poll(timeout: timeout) {
            state.withLock { state in
                let limit = now(offset: state.offset) + milliseconds
                return state.timers.values.contains { $0.deadline <= limit }
            }
        }
        guard due else { return false }
        await advance(by: amount)
        return true
    }

    /// Advances by `step`, again and again, until `condition` holds; false if it still does not after
    /// `timeout` of real time. For outcomes that follow a timeout however late the server got to the
    /// work before it (a read that lands after a step only postpones the outcome to a later step).
    public func advance(
        by step: Duration, until condition: @Sendable () async -> Bool, timeout: Duration = .seconds(20)
    ) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !(await condition()) {
            guard ContinuousClock.now < deadline else { return false }
            await advance(by: step)
            // What the timers set off (a close, a reply) reaches the test on other threads.
            for _ in 0..<20 where !(await condition()) { try? await Task.sleep(for: .milliseconds(5)) }
        }
        return true
    }

    private static func milliseconds(_ amount: Duration) -> Milliseconds {
        amount.components.seconds * 1000 + amount.components.attoseconds / 1_000_000_000_000_000
    }

    /// Runs a due timer once, whichever of `advance` and its real timer comes first; on its loop.
    private func fire(_ id: Int) {
        let timer = state.withLock { $0.timers.removeValue(forKey: id) }
        timer?.real?.cancel()
        timer?.task()
    }

    private func cancel(_ id: Int) {
        let timer = state.withLock { $0.timers.removeValue(forKey: id) }
        timer?.real?.cancel()
    }
}
