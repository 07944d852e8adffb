import Synchronization

/// A result that must come within a time limit. Unlike a task group, which waits for every child,
/// this returns as soon as the limit passes, even when the work ignores cancellation (a password
/// hash on the thread pool): the work is then cancelled and its late result dropped.
enum Deadline {
    static func first<T: Sendable>(
        within limit: Duration, otherwise fallback: T, _ work: @escaping @Sendable () async -> T
    ) async -> T {
        var tasks: [Task<Void, Never>] = []
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let once = ResumeOnce(continuation)
            tasks = [
                Task { once.resume(returning: await work()) },
                Task {
                    // Cancelled once the work has answered; resuming then is a no-op.
                    try? await Task.sleep(for: limit)
                    once.resume(returning: fallback)
                },
            ]
        }
        for task in tasks { task.cancel() }
        return result
    }
}

/// A continuation that the first of several racers resumes; later ones are ignored.
private final class ResumeOnce<T: Sendable>: Sendable {
    /// Guards the continuation until it has been resumed.
    private let continuation: Mutex<CheckedContinuation<T, Never>?>

    init(_ continuation: CheckedContinuation<T, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(returning value: T) {
        let pending = continuation.withLock { current in
            defer { current = nil }
            return current
        }
        pending?.resume(returning: value)
    }
}
