import RustDeskCore
import Testing

@testable import RelayCore

@Suite struct RelayTokenBucketTests {
    @Test func debtTurnsIntoAPause() {
        var bucket = TokenBucket(rate: 8000, now: 0)
        #expect(bucket.consume(8000, now: 0) == 1000)
        #expect(bucket.consume(0, now: 500) == 500)
        #expect(bucket.consume(0, now: 1000) == 0)
    }

    @Test func idleCreditIsCapped() {
        var bucket = TokenBucket(rate: 8000, now: 0)
        #expect(bucket.consume(800, now: 10_000) == 0)
        #expect(bucket.consume(8, now: 10_000) == 1)
        #expect(bucket.capacity == 800)
    }

    @Test func rateChangesLive() {
        var bucket = TokenBucket(rate: 1000, now: 0)
        #expect(bucket.consume(1000, now: 0) == 1000)
        bucket.setRate(2000, now: 0)
        #expect(bucket.pause == 500)
        let shared = SharedTokenBucket(rate: 1000, now: 0)
        shared.setRate(4000, now: 0)
        #expect(shared.rate == 4000)
        #expect(shared.consume(4000, now: 0) == 1000)
    }

    @Test func zeroRateNeverDividesByZero() {
        var bucket = TokenBucket(rate: 0, now: 0)
        #expect(bucket.consume(1, now: 0) == 1000)
    }
}

@Suite struct RelayAccountingTests {
    @Test func defaultThresholdMatchesTheSpec() {
        let accounting = RelayAccounting(singleBandwidth: 134_217_728, limitSpeed: 1, thresholdPercent: 66, now: 0)
        #expect(accounting.downgradeThreshold == 88_583)
    }

    @Test func perSecondAccountingAndDowngrade() {
        // 1 Mbit/s single, threshold 50 % → 500 bit/ms; downgrade possible after 2000 ms.
        var accounting = RelayAccounting(
            singleBandwidth: 1_000_000, limitSpeed: 8000, thresholdPercent: 50, now: 0)
        #expect(accounting.downgradeThreshold == 500)
        _ = accounting.receive(bytes: 1000, now: 10)
        #expect(
            accounting.closePeriod(now: 999, isBlocked: false, isBlacklisted: false, downgradeStartCheck: 2000) == nil)
        #expect(
            accounting.closePeriod(now: 1000, isBlocked: false, isBlacklisted: false, downgradeStartCheck: 2000)
                == .accounted(usage: .init(elapsed: 1000, total: 8000, highest: 8, current: 8), downgradedNow: false))
        _ = accounting.receive(bytes: 1_000_000, now: 1500)
        // elapsed 2000 is not > 2000: no downgrade yet, though the average is far above 500 bit/ms.
        #expect(
            accounting.closePeriod(now: 2000, isBlocked: false, isBlacklisted: false, downgradeStartCheck: 2000)
                == .accounted(
                    usage: .init(elapsed: 2000, total: 8_008_000, highest: 8000, current: 8000), downgradedNow: false))
        #expect(
            accounting.closePeriod(now: 3100, isBlocked: false, isBlacklisted: false, downgradeStartCheck: 2000)
                == .accounted(
                    usage: .init(elapsed: 3100, total: 8_008_000, highest: 8000, current: 0), downgradedNow: true))
        #expect(accounting.isDowngraded)
        #expect(accounting.isLimited)
        // Downgraded traffic is paced by LIMIT_SPEED (8000 bit/s): 1000 bytes cost one second, less the
        // 800 bits (0.1 s) of credit the idle limited bucket saved up.
        #expect(accounting.receive(bytes: 1000, now: 3100) == 900)
        #expect(
            accounting.closePeriod(now: 4100, isBlocked: false, isBlacklisted: false, downgradeStartCheck: 2000)
                == .accounted(
                    usage: .init(elapsed: 4100, total: 8_016_000, highest: 8000, current: 8), downgradedNow: false))
    }

    @Test func averageBelowThresholdIsNotDowngraded() {
        var accounting = RelayAccounting(singleBandwidth: 1_000_000, limitSpeed: 8000, thresholdPercent: 50, now: 0)
        _ = accounting.receive(bytes: 100, now: 0)
        let period = accounting.closePeriod(now: 5000, isBlocked: false, isBlacklisted: false, downgradeStartCheck: 1)
        #expect(
            period == .accounted(usage: .init(elapsed: 5000, total: 800, highest: 0, current: 0), downgradedNow: false))
        #expect(!accounting.isDowngraded)
    }

    @Test func blacklistSwitchesToTheLimitedBucketAtTheNextPeriod() {
        var accounting = RelayAccounting(singleBandwidth: 8_000_000, limitSpeed: 8000, thresholdPercent: 66, now: 0)
        #expect(accounting.receive(bytes: 1000, now: 0) == 1)
        #expect(!accounting.isLimited)
        _ = accounting.closePeriod(now: 1000, isBlocked: false, isBlacklisted: true, downgradeStartCheck: 1_800_000)
        #expect(accounting.isBlacklisted)
        #expect(accounting.isLimited)
        #expect(accounting.receive(bytes: 1000, now: 1000) == 900)
    }

    @Test func blockedStopsWithoutAccounting() {
        var accounting = RelayAccounting(singleBandwidth: 1000, limitSpeed: 1000, thresholdPercent: 66, now: 0)
        #expect(
            accounting.closePeriod(now: 1000, isBlocked: true, isBlacklisted: false, downgradeStartCheck: 0) == .blocked
        )
        #expect(accounting.usage == .init())
    }

    @Test func idleMeansNoDataEitherWay() {
        var accounting = RelayAccounting(singleBandwidth: 1000, limitSpeed: 1000, thresholdPercent: 66, now: 0)
        _ = accounting.receive(bytes: 0, now: 5000)
        #expect(!accounting.isIdle(now: 35_999, timeout: 31_000))
        #expect(accounting.isIdle(now: 36_000, timeout: 31_000))
    }
}
