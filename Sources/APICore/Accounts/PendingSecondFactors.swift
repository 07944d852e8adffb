import Synchronization

/// Logins that passed the password and wait for their TOTP code (http-api.md §1.2, `tfa_check`):
/// the `secret` handed to the client names one, for a few minutes and a few tries. Owned by
/// `AccountService`; in memory only, so a restart simply asks the user to log in again.
public final class PendingSecondFactors: Sendable {
    public struct Pending: Sendable, Equatable {
        public var userID: User.ID
        public var expiresAt: Int64
        public var attemptsLeft: Int
    }

    public let lifetimeSeconds: Int64
    public let attempts: Int
    public let capacity: Int
    /// Guards the pending logins by their secret.
    private let table = Mutex<[String: Pending]>([:])

    public init(lifetimeSeconds: Int64 = 300, attempts: Int = 5, capacity: Int = 10_000) {
        self.lifetimeSeconds = lifetimeSeconds
        self.attempts = attempts
        self.capacity = capacity
    }

    /// Remembers a login waiting for `userID`'s code under `secret`.
    public func add(secret: String, userID: User.ID, now: Int64) {
        table.withLock { table in
            if table.count >= capacity {
                table = table.filter { $0.value.expiresAt > now }
                if table.count >= capacity, let oldest = table.min(by: { $0.value.expiresAt < $1.value.expiresAt }) {
                    table[oldest.key] = nil
                }
            }
            table[secret] = Pending(userID: userID, expiresAt: now + lifetimeSeconds, attemptsLeft: attempts)
        }
    }

    /// The user a still valid `secret` stands for, spending one attempt; nil when unknown, expired or used up.
    public func take(secret: String, now: Int64) -> User.ID? {
        table.withLock { table in
            guard var pending = table[secret] else { return nil }
            guard pending.expiresAt > now, pending.attemptsLeft > 0 else {
                table[secret] = nil
                return nil
            }
            pending.attemptsLeft -= 1
            table[secret] = pending
            return pending.userID
        }
    }

    /// Ends a pending login (after success).
    public func remove(secret: String) {
        _ = table.withLock { $0.removeValue(forKey: secret) }
    }
}
