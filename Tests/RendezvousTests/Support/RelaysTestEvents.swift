import Synchronization

/// Values reported from callbacks (event loops, thread pools) that a test awaits with a deadline instead of
/// sleeping. Shared by the relay, resolver and self-test tests.
final class RelaysTestEvents<Value: Sendable>: Sendable {
    private struct Waiter {
        var id: Int
        var count: Int
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var values: [Value] = []
        var waiters: [Waiter] = []
        var nextID = 0
        /// Deadlines that fired before their waiter was registered.
        var expiredEarly: Set<Int> = []
    }

    /// Guards the recorded values and the tests waiting for them.
    private let state = Mutex(State())

    var values: [Value] { state.withLock { $0.values } }

    func record(_ value: Value) {
        let ready: [CheckedContinuation<Bool, Never>] = state.withLock { state in
            state.values.append(value)
            let count = state.values.count
            let ready = state.waiters.filter { $0.count <= count }.map(\.continuation)
            state.waiters.removeAll { $0.count <= count }
            return ready
        }
        for continuation in ready { continuation.resume(returning: true) }
    }

    /// True once at least `count` values arrived; false if `timeout` passed first.
    func wait(forCount count: Int, timeout: Duration) async -> Bool {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let deadline = Task {
            // A cancelled deadline means the wait already ended.
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            self.expire(id)
        }
        defer { deadline.cancel() }
        return await withCheckedContinuation { continuation in
            let immediate: Bool? = state.withLock { state in
                if state.values.count >= count { return true }
                if state.expiredEarly.remove(id) != nil { return false }
                state.waiters.append(Waiter(id: id, count: count, continuation: continuation))
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    private func expire(_ id: Int) {
        let expired: CheckedContinuation<Bool, Never>? = state.withLock { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                state.expiredEarly.insert(id)
                return nil
            }
            return state.waiters.remove(at: index).continuation
        }
        expired?.resume(returning: false)
    }
}
