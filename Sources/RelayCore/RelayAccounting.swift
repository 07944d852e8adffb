import RustDeskCore

/// The per-pair bandwidth state and the downgrade rule of hbbr.md §6.3, exactly as the reference
/// counts: bits, per-second accounting points, highest/current speed in bits per millisecond.
///
/// Pure: the caller passes `now` and the list lookups. Owned by one relayed pair (its `RelaySession`
/// holds it behind a lock, since the two directions may run on different threads).
public struct RelayAccounting: Sendable {
    /// What the console's `usage` shows for one pair.
    public struct Usage: Sendable, Equatable {
        /// Relay time accounted so far, milliseconds.
        public var elapsed: Int
        /// Bits forwarded in both directions.
        public var total: Int
        /// Highest per-period speed, bits per millisecond.
        public var highest: Int
        /// Speed of the last period, bits per millisecond.
        public var current: Int

        public init(elapsed: Int = 0, total: Int = 0, highest: Int = 0, current: Int = 0) {
            self.elapsed = elapsed
            self.total = total
            self.highest = highest
            self.current = current
        }
    }

    /// The result of closing an accounting period.
    public enum Period: Sendable, Equatable {
        /// The relay IP is on the blocklist: end the relay.
        case blocked
        /// Publish `usage`; `downgradedNow` is true only in the period the downgrade happens.
        case accounted(usage: Usage, downgradedNow: Bool)
    }

    public static let periodMilliseconds: Milliseconds = 1000

    /// Normal cap of the pair (SINGLE_BANDWIDTH as of relay start), shared by both directions.
    public private(set) var single: TokenBucket
    /// Cap for a blacklisted or downgraded pair (LIMIT_SPEED as of relay start).
    public private(set) var limited: TokenBucket
    /// Average bits per millisecond above which the pair is downgraded; fixed at relay start.
    public let downgradeThreshold: Int
    public private(set) var usage = Usage()
    public private(set) var isBlacklisted = false
    public private(set) var isDowngraded = false
    /// Capped by `limited` (LIMIT_SPEED) instead of `single`.
    public var isLimited: Bool { isBlacklisted || isDowngraded }
    /// When data last arrived from either side.
    public private(set) var lastReceive: Milliseconds
    private var accountingPoint: Milliseconds
    private var bitsThisPeriod = 0

    public init(
        singleBandwidth: Int, limitSpeed: Int, thresholdPercent: Int, isBlacklisted: Bool = false,
        now: Milliseconds
    ) {
        single = TokenBucket(rate: singleBandwidth, now: now)
        limited = TokenBucket(rate: limitSpeed, now: now)
        // trunc(sb × percent / 100 / 1000), computed in floating point as the reference does.
        downgradeThreshold = RustNumberParsing.saturatingInt(
            Double(singleBandwidth) * Double(thresholdPercent) / 100 / 1000)
        self.isBlacklisted = isBlacklisted
        lastReceive = now
        accountingPoint = now
    }

    /// Records a unit of `bytes` received from either side and returns how long that side must pause
    /// for the per-pair cap (the shared total cap is the caller's).
    public mutating func receive(bytes: Int, now: Milliseconds) -> Milliseconds {
        lastReceive = now
        let bits = bytes &* 8
        let pause =
            isLimited
            ? limited.consume(bits, now: now) : single.consume(bits, now: now)
        usage.total &+= bits
        bitsThisPeriod &+= bits
        return pause
    }

    /// Whether ≥ 1 s has passed since the last accounting point.
    public func isPeriodDue(now: Milliseconds) -> Bool {
        now - accountingPoint >= Self.periodMilliseconds
    }

    /// Closes the period if one is due (nil otherwise). `isBlocked`/`isBlacklisted` are the current
    /// list memberships of the relay IP; `downgradeStartCheck` (ms) is read live.
    public mutating func closePeriod(
        now: Milliseconds, isBlocked: Bool, isBlacklisted: Bool, downgradeStartCheck: Int
    ) -> Period? {
        guard isPeriodDue(now: now) else { return nil }
        if isBlocked { return .blocked }
        self.isBlacklisted = isBlacklisted
        let elapsedNow = Int(now - accountingPoint)
        accountingPoint = now
        let speed = bitsThisPeriod / elapsedNow
        usage.highest = max(usage.highest, speed)
        usage.current = speed
        usage.elapsed &+= elapsedNow
        bitsThisPeriod = 0
        var downgradedNow = false
        if !isDowngraded, usage.elapsed > downgradeStartCheck,
            usage.total > usage.elapsed.multipliedReportingOverflow(by: downgradeThreshold).partialValue
        {
            isDowngraded = true
            downgradedNow = true
        }
        return .accounted(usage: usage, downgradedNow: downgradedNow)
    }

    /// Whether no data has arrived from either side for `timeout` (the spec's "> 30 whole seconds" is
    /// a timeout of 31 s).
    public func isIdle(now: Milliseconds, timeout: Milliseconds) -> Bool {
        now - lastReceive >= timeout
    }
}
