import RustDeskCore

/// A token bucket counted in bits, in the "debt" style of the reference's limiter: a consumer always
/// takes what it forwarded and is then told how long to pause until the bucket is back to zero.
///
/// Pure and clock-free: every call takes `now` (monotonic milliseconds). Shared buckets are wrapped by
/// `SharedTokenBucket`; the relay's pair state owns its per-pair buckets directly.
public struct TokenBucket: Sendable, Equatable {
    /// Refill rate in bits per second.
    public private(set) var rate: Int
    /// Bits available now; negative while consumers owe a pause.
    public private(set) var tokens: Double
    private var lastRefill: Milliseconds

    /// How much credit an idle bucket may save up, as a share of one second of rate: a pair that was
    /// quiet may burst briefly, but never for long.
    public static let burstFraction = 0.1

    public init(rate: Int, now: Milliseconds) {
        self.rate = max(1, rate)
        self.tokens = 0
        self.lastRefill = now
    }

    public var capacity: Double { Double(rate) * Self.burstFraction }

    /// Takes `bits` and returns how long the consumer must pause (0 when the bucket still had credit).
    public mutating func consume(_ bits: Int, now: Milliseconds) -> Milliseconds {
        refill(now: now)
        tokens -= Double(bits)
        return pause
    }

    /// How long until the bucket is out of debt, rounded up to whole milliseconds.
    public var pause: Milliseconds {
        guard tokens < 0 else { return 0 }
        let milliseconds = (-tokens * 1000 / Double(rate)).rounded(.up)
        return milliseconds < 1e15 ? Milliseconds(milliseconds) : 1_000_000_000_000_000
    }

    /// Changes the rate from `now` on; time already elapsed is credited at the old rate.
    public mutating func setRate(_ newRate: Int, now: Milliseconds) {
        refill(now: now)
        rate = max(1, newRate)
        tokens = min(tokens, capacity)
    }

    private mutating func refill(now: Milliseconds) {
        guard now > lastRefill else { return }
        tokens = min(capacity, tokens + Double(rate) * Double(now - lastRefill) / 1000)
        lastRefill = now
    }
}
