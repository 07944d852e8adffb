import RustDeskCore
import Synchronization

/// Everything the hbbr console can see or change while relays run (hbbr.md §6.3, §7): the two IP
/// lists, the bandwidth parameters, the shared total limiter and the usage board.
///
/// Built once at start from `HbbrConfiguration`; shared by the relay server (read at relay start or
/// live, as the spec says for each value) and `RelayConsole` (writes).
public final class RelayControls: Sendable {
    public let blacklist: RelayIPList
    public let blocklist: RelayIPList
    public let usage: RelayUsageBoard
    /// All relays together; the console's `tb` changes its rate at once.
    public let total: SharedTokenBucket
    /// Monotonic milliseconds; injected so tests drive the limiter by hand.
    public let now: @Sendable () -> Milliseconds
    // Plain values, each independent of the others, so atomics suffice.
    private let singleBandwidthBits: Atomic<Int>
    private let totalBandwidthBits: Atomic<Int>
    private let limitSpeedBits: Atomic<Int>
    private let thresholdPercent: Atomic<Int>
    private let startCheckMilliseconds: Atomic<Int>

    public init(
        configuration: HbbrConfiguration, blacklist: RelayIPList = RelayIPList(),
        blocklist: RelayIPList = RelayIPList(), now: @escaping @Sendable () -> Milliseconds = MonotonicClock.now
    ) {
        self.blacklist = blacklist
        self.blocklist = blocklist
        self.usage = RelayUsageBoard()
        self.now = now
        total = SharedTokenBucket(rate: configuration.totalBandwidth, now: now())
        singleBandwidthBits = Atomic(configuration.singleBandwidth)
        totalBandwidthBits = Atomic(configuration.totalBandwidth)
        limitSpeedBits = Atomic(configuration.limitSpeed)
        thresholdPercent = Atomic(configuration.downgradeThresholdPercent)
        startCheckMilliseconds = Atomic(configuration.downgradeStartCheckMilliseconds)
    }

    public var singleBandwidth: Int {
        get { singleBandwidthBits.load(ordering: .relaxed) }
        set { singleBandwidthBits.store(newValue, ordering: .relaxed) }
    }

    public var limitSpeed: Int {
        get { limitSpeedBits.load(ordering: .relaxed) }
        set { limitSpeedBits.store(newValue, ordering: .relaxed) }
    }

    public var downgradeThresholdPercent: Int {
        get { thresholdPercent.load(ordering: .relaxed) }
        set { thresholdPercent.store(newValue, ordering: .relaxed) }
    }

    /// Read live by every relay at each accounting period.
    public var downgradeStartCheck: Int {
        get { startCheckMilliseconds.load(ordering: .relaxed) }
        set { startCheckMilliseconds.store(newValue, ordering: .relaxed) }
    }

    public var totalBandwidth: Int { totalBandwidthBits.load(ordering: .relaxed) }

    /// Sets TOTAL_BANDWIDTH and applies it to the shared limiter now.
    public func setTotalBandwidth(_ bits: Int) {
        totalBandwidthBits.store(bits, ordering: .relaxed)
        total.setRate(bits, now: now())
    }

    /// A new relay's accounting: SINGLE_BANDWIDTH, LIMIT_SPEED and the threshold as they are now.
    public func startAccounting() -> RelayAccounting {
        RelayAccounting(
            singleBandwidth: singleBandwidth, limitSpeed: limitSpeed, thresholdPercent: downgradeThresholdPercent,
            now: now())
    }
}
