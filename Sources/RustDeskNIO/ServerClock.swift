import NIOCore
import RustDeskCore
import Synchronization

/// The time a server runs on: the monotonic milliseconds its rules read (`now`) and the timers its
/// connections set (first-unit and idle timeouts, pairing and drain deadlines, periodic checks).
///
/// Both come from one value so they can never disagree. `ServerClock.system` is CLOCK_MONOTONIC and
/// the event loop's own timers, with no indirection on the hot path. Tests pass a clock whose
/// `ServerTimerScheduling` they can move forward, so a timeout fires when the test says so and never
/// because the machine was slow (or fails to fire because it was fast).
public struct ServerClock: Sendable {
    /// Monotonic milliseconds.
    public let now: @Sendable () -> Milliseconds
    /// nil: the event loop's own timers.
    private let scheduler: (any ServerTimerScheduling)?

    public static let system = ServerClock(now: MonotonicClock.now, scheduler: nil)

    /// A clock whose timers `scheduler` runs; `now` must be the time those timers are measured on.
    public init(now: @escaping @Sendable () -> Milliseconds, scheduler: (any ServerTimerScheduling)?) {
        self.now = now
        self.scheduler = scheduler
    }

    /// Runs `task` on `loop` once `delay` has passed on this clock, unless the timer is cancelled first.
    @discardableResult
    public func schedule(
        on loop: any EventLoop, in delay: TimeAmount, _ task: @escaping @Sendable () -> Void
    ) -> ServerTimer {
        if let scheduler { return scheduler.schedule(on: loop, in: delay, task) }
        return ServerTimer(loop.scheduleTask(in: delay, task))
    }

    /// Runs `task` on `loop` every `interval` (the first time after one interval) until it returns
    /// false or the timer is cancelled.
    public func scheduleRepeated(
        on loop: any EventLoop, every interval: TimeAmount, _ task: @escaping @Sendable () -> Bool
    ) -> ServerTimer {
        guard scheduler != nil else {
            let repeated = loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { repeated in
                if !task() { repeated.cancel() }
            }
            return ServerTimer(cancel: { repeated.cancel() })
        }
        let repetition = ServerTimerRepetition(clock: self, loop: loop, interval: interval, task: task)
        repetition.scheduleNext()
        return ServerTimer(cancel: { repetition.cancel() })
    }
}

/// Where the timers of a non-system `ServerClock` live (a test's manual clock).
public protocol ServerTimerScheduling: Sendable {
    /// Runs `task` on `loop` once `delay` has passed on the clock's `now`, unless cancelled first.
    func schedule(on loop: any EventLoop, in delay: TimeAmount, _ task: @escaping @Sendable () -> Void) -> ServerTimer
}

/// A pending timer of a `ServerClock`; cancelling after it fired does nothing.
public struct ServerTimer: Sendable {
    private let scheduled: Scheduled<Void>?
    private let cancelAction: (@Sendable () -> Void)?

    init(_ scheduled: Scheduled<Void>) {
        self.scheduled = scheduled
        cancelAction = nil
    }

    public init(cancel: @escaping @Sendable () -> Void) {
        scheduled = nil
        cancelAction = cancel
    }

    public func cancel() {
        scheduled?.cancel()
        cancelAction?()
    }
}

/// A repeated timer on a non-system clock: each run schedules the next, so every interval is measured
/// on that clock.
private final class ServerTimerRepetition: Sendable {
    private let clock: ServerClock
    private let loop: any EventLoop
    private let interval: TimeAmount
    private let task: @Sendable () -> Bool
    /// Guards the pending timer and whether the repetition ended.
    private let state = Mutex<(pending: ServerTimer?, ended: Bool)>((nil, false))

    init(clock: ServerClock, loop: any EventLoop, interval: TimeAmount, task: @escaping @Sendable () -> Bool) {
        self.clock = clock
        self.loop = loop
        self.interval = interval
        self.task = task
    }

    func scheduleNext() {
        let timer = clock.schedule(on: loop, in: interval) { [self] in
            guard !state.withLock({ $0.ended }) else { return }
            if task() { scheduleNext() } else { cancel() }
        }
        let ended = state.withLock { state in
            state.pending = timer
            return state.ended
        }
        if ended { timer.cancel() }
    }

    func cancel() {
        let pending = state.withLock { state in
            state.ended = true
            defer { state.pending = nil }
            return state.pending
        }
        pending?.cancel()
    }
}
