import Synchronization

/// A queue that test clients push received values into and tests pull from with a deadline, so no
/// test waits blindly or forever.
public final class Inbox<Value: Sendable>: Sendable {
    private struct State {
        var items: [Value] = []
        var waiter: (id: Int, continuation: CheckedContinuation<Value?, Never>)?
        var nextWaiterID = 0
        var closed = false
    }

    /// Guards the buffered values and the single pending waiter.
    private let state = Mutex(State())

    public init() {}

    public func push(_ value: Value) {
        let waiter = state.withLock { state -> CheckedContinuation<Value?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter.continuation
            }
            state.items.append(value)
            return nil
        }
        waiter?.resume(returning: value)
    }

    /// Ends waiting: a pending and every later `next` returns what is buffered, then nil.
    public func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Value?, Never>? in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        waiter?.resume(returning: nil)
    }

    /// The next value, or nil if none arrives within `timeout` (or the inbox closed).
    public func next(timeout: Duration = .seconds(15)) async -> Value? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
            let waiterID = state.withLock { state -> Int? in
                if !state.items.isEmpty {
                    continuation.resume(returning: state.items.removeFirst())
                    return nil
                }
                if state.closed {
                    continuation.resume(returning: nil)
                    return nil
                }
                state.nextWaiterID += 1
                state.waiter = (state.nextWaiterID, continuation)
                return state.nextWaiterID
            }
            guard let waiterID else { return }
            Task {
                try? await Task.sleep(for: timeout)
                let expired = self.state.withLock { state -> CheckedContinuation<Value?, Never>? in
                    guard let waiter = state.waiter, waiter.id == waiterID else { return nil }
                    state.waiter = nil
                    return waiter.continuation
                }
                expired?.resume(returning: nil)
            }
        }
    }
}
