import Synchronization

/// Secrets that stand for something for a short time and a few tries: a login waiting for its TOTP
/// code (the `secret` handed to the client, http-api.md §1.2), a TOTP enrolment waiting for its first
/// code. In memory and bounded (the entry closest to expiry makes room when full); a restart simply
/// means starting over. Owned by `AccountService`.
public final class ExpiringAttempts<Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var expiresAt: Int64
        var attemptsLeft: Int
    }

    public let lifetimeSeconds: Int64
    public let attempts: Int
    public let capacity: Int
    /// Guards the entries by their key.
    private let table = Mutex<[String: Entry]>([:])

    public init(lifetimeSeconds: Int64, attempts: Int = 5, capacity: Int) {
        self.lifetimeSeconds = lifetimeSeconds
        self.attempts = attempts
        self.capacity = capacity
    }

    /// Remembers `value` under `key`. Entries `replacing` matches end first (one enrolment per user).
    public func add(_ value: Value, under key: String, now: Int64, replacing: ((Value) -> Bool)? = nil) {
        table.withLock { table in
            if let replacing {
                table = table.filter { $0.value.expiresAt > now && !replacing($0.value.value) }
            } else if table.count >= capacity {
                table = table.filter { $0.value.expiresAt > now }
            }
            if table.count >= capacity, let oldest = table.min(by: { $0.value.expiresAt < $1.value.expiresAt }) {
                table[oldest.key] = nil
            }
            table[key] = Entry(value: value, expiresAt: now + lifetimeSeconds, attemptsLeft: attempts)
        }
    }

    /// The value a live `key` stands for, spending one try; nil when unknown, expired or used up.
    public func take(_ key: String, now: Int64) -> Value? {
        table.withLock { table in
            guard var entry = table[key] else { return nil }
            guard entry.expiresAt > now, entry.attemptsLeft > 0 else {
                table[key] = nil
                return nil
            }
            entry.attemptsLeft -= 1
            table[key] = entry
            return entry.value
        }
    }

    /// Ends an entry (after its success).
    public func remove(_ key: String) {
        _ = table.withLock { $0.removeValue(forKey: key) }
    }
}

/// Logins that passed the password and wait for the user's TOTP code: five minutes, five tries.
public typealias PendingSecondFactors = ExpiringAttempts<User.ID>

extension ExpiringAttempts where Value == User.ID {
    public convenience init() {
        self.init(lifetimeSeconds: 300, capacity: 10_000)
    }
}

/// A TOTP secret handed to a user who proved their password, until a code from their authenticator
/// confirms it (`AccountService.beginTOTPEnrolment`).
public struct PendingEnrolment: Sendable, Equatable {
    public var userID: User.ID
    public var secret: [UInt8]
}

/// TOTP enrolments waiting for their first code: ten minutes, five tries, one per user.
public typealias PendingTOTPEnrolments = ExpiringAttempts<PendingEnrolment>

extension ExpiringAttempts where Value == PendingEnrolment {
    public convenience init() {
        self.init(lifetimeSeconds: 600, capacity: 1000)
    }

    /// A new enrolment of `userID` ends any earlier one.
    public func add(handle: String, userID: User.ID, secret: [UInt8], now: Int64) {
        add(PendingEnrolment(userID: userID, secret: secret), under: handle, now: now) { $0.userID == userID }
    }
}
