import Synchronization

/// Carries one value from the thread that produces it (a pool thread, the store's writer) to the
/// caller awaiting it, where a closure must capture something `Sendable` and a `Mutex` cannot be
/// captured.
public final class HandOff<Value: Sendable>: Sendable {
    /// Guards the value, normally written once.
    private let slot = Mutex<Value?>(nil)

    public init() {}

    public var value: Value? {
        get { slot.withLock { $0 } }
        set { slot.withLock { $0 = newValue } }
    }
}
