import Synchronization

/// TOTP secrets handed to a user who proved their password and has not yet confirmed a code from
/// their authenticator (`AccountService.beginTOTPEnrolment`). In memory, bounded, short-lived and
/// with few tries: a restart just means starting the enrolment again.
public final class PendingTOTPEnrolments: Sendable {
    public struct Pending: Sendable, Equatable {
        public var userID: User.ID
        public var secret: [UInt8]
        public var expiresAt: Int64
        public var attemptsLeft: Int
    }

    public let lifetimeSeconds: Int64
    public let attempts: Int
    public let capacity: Int
    /// Guards the pending enrolments by their handle.
    private let table = Mutex<[String: Pending]>([:])

    public init(lifetimeSeconds: Int64 = 600, attempts: Int = 5, capacity: Int = 1000) {
        self.lifetimeSeconds = lifetimeSeconds
        self.attempts = attempts
        self.capacity = capacity
    }

    /// Remembers `secret` for `userID` under `handle`; an earlier enrolment of the same user ends.
    public func add(handle: String, userID: User.ID, secret: [UInt8], now: Int64) {
        table.withLock { table in
            table = table.filter { $0.value.expiresAt > now && $0.value.userID != userID }
            if table.count >= capacity, let oldest = table.min(by: { $0.value.expiresAt < $1.value.expiresAt }) {
                table[oldest.key] = nil
            }
            table[handle] = Pending(
                userID: userID, secret: secret, expiresAt: now + lifetimeSeconds, attemptsLeft: attempts)
        }
    }

    /// The live enrolment under `handle`, spending one attempt; nil when unknown, expired or used up.
    public func take(handle: String, now: Int64) -> Pending? {
        table.withLock { table in
            guard var pending = table[handle] else { return nil }
            guard pending.expiresAt > now, pending.attemptsLeft > 0 else {
                table[handle] = nil
                return nil
            }
            pending.attemptsLeft -= 1
            table[handle] = pending
            return pending
        }
    }

    public func remove(handle: String) {
        _ = table.withLock { $0.removeValue(forKey: handle) }
    }
}
