import Synchronization

/// Resumes a waiting task exactly once: with the value of some outside work (an NIO future, a thread-pool job),
/// or with nil as soon as the task is cancelled. Lets graceful shutdown proceed without waiting out a connect
/// timeout or a slow DNS answer; the outside work still finishes on its own and its late value is dropped.
final class OneShotContinuation<Value: Sendable>: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<Value?, Never>)
        case resolvedEarly(Value?)
        case done
    }

    /// Guards the hand-over between the waiting task, the work's completion and the cancellation handler.
    private let state = Mutex(State.idle)

    /// Suspends until `start`'s work calls `resume(_:)` or the current task is cancelled (→ nil).
    static func value(_ start: (OneShotContinuation<Value>) -> Void) async -> Value? {
        let oneShot = OneShotContinuation<Value>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                oneShot.attach(continuation)
                start(oneShot)
            }
        } onCancel: {
            oneShot.resume(nil)
        }
    }

    /// Delivers the result; every call after the first is ignored.
    func resume(_ value: Value?) {
        let continuation: CheckedContinuation<Value?, Never>? = state.withLock { state in
            switch state {
            case .idle:
                state = .resolvedEarly(value)
                return nil
            case .waiting(let continuation):
                state = .done
                return continuation
            case .resolvedEarly, .done:
                return nil
            }
        }
        continuation?.resume(returning: value)
    }

    private func attach(_ continuation: CheckedContinuation<Value?, Never>) {
        let early: Value?? = state.withLock { state in
            switch state {
            case .idle:
                state = .waiting(continuation)
                return .none
            case .resolvedEarly(let value):
                state = .done
                return .some(value)
            case .waiting, .done:
                return .none
            }
        }
        if let early { continuation.resume(returning: early) }
    }
}
