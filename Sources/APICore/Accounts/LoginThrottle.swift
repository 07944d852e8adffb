import Synchronization

/// Counts failed logins per client IP and per account name and refuses further attempts once either
/// reaches its limit within the window, until the oldest failure leaves the window. Owned by
/// `AccountService`; a success for an account clears that account's failures (not the IP's).
///
/// Both tables are capped: past `maxTrackedKeys` the key whose newest failure is oldest is dropped, so
/// an attacker cycling names or addresses cannot grow memory without bound.
public final class LoginThrottle: Sendable {
    public struct Limits: Sendable, Equatable {
        public var failuresPerIP: Int
        public var failuresPerAccount: Int
        /// Seconds a failure counts against its IP and account.
        public var windowSeconds: Int64
        public var maxTrackedKeys: Int

        public init(
            failuresPerIP: Int = 30, failuresPerAccount: Int = 10, windowSeconds: Int64 = 900,
            maxTrackedKeys: Int = 50_000
        ) {
            self.failuresPerIP = failuresPerIP
            self.failuresPerAccount = failuresPerAccount
            self.windowSeconds = windowSeconds
            self.maxTrackedKeys = maxTrackedKeys
        }
    }

    public let limits: Limits
    /// Guards both tables: failure times (unix seconds, oldest first) by IP and by lower-cased account.
    private let state = Mutex(State())

    private struct State {
        var byIP: [String: [Int64]] = [:]
        var byAccount: [String: [Int64]] = [:]
    }

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Seconds until `ip` or `account` may try again, or nil when an attempt is allowed now.
    public func retryAfter(ip: String, account: String, now: Int64) -> Int64? {
        state.withLock { state in
            let ipWait = Self.wait(
                &state.byIP, key: ip, limit: limits.failuresPerIP, window: limits.windowSeconds, now: now)
            let accountWait = Self.wait(
                &state.byAccount, key: account.lowercased(), limit: limits.failuresPerAccount,
                window: limits.windowSeconds, now: now)
            switch (ipWait, accountWait) {
            case (nil, nil): return nil
            case (let wait?, nil), (nil, let wait?): return wait
            case (let a?, let b?): return max(a, b)
            }
        }
    }

    public func recordFailure(ip: String, account: String, now: Int64) {
        state.withLock { state in
            Self.append(&state.byIP, key: ip, now: now, cap: limits.maxTrackedKeys, keep: limits.failuresPerIP)
            Self.append(
                &state.byAccount, key: account.lowercased(), now: now, cap: limits.maxTrackedKeys,
                keep: limits.failuresPerAccount)
        }
    }

    public func recordSuccess(account: String) {
        _ = state.withLock { $0.byAccount.removeValue(forKey: account.lowercased()) }
    }

    private static func wait(_ table: inout [String: [Int64]], key: String, limit: Int, window: Int64, now: Int64)
        -> Int64?
    {
        guard var times = table[key] else { return nil }
        times.removeAll { $0 + window <= now }
        if times.isEmpty {
            table[key] = nil
            return nil
        }
        table[key] = times
        guard times.count >= limit, let oldest = times.first else { return nil }
        return max(1, oldest + window - now)
    }

    private static func append(_ table: inout [String: [Int64]], key: String, now: Int64, cap: Int, keep: Int) {
        if table[key] == nil, table.count >= cap,
            let stalest = table.min(by: { ($0.value.last ?? 0) < ($1.value.last ?? 0) })
        {
            table[stalest.key] = nil
        }
        var times = table[key] ?? []
        times.append(now)
        // Only the newest `keep` failures can matter for the limit.
        if times.count > keep { times.removeFirst(times.count - keep) }
        table[key] = times
    }
}
