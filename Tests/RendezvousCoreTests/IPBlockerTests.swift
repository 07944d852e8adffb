import RustDeskCore
import Testing

@testable import RendezvousCore

@Suite struct IPBlockerTests {
    @Test func firstRequestIsFreeThenThirtyOneMoreInABurst() {
        var blocker = IPBlocker()
        let allowed1 = blocker.allow(ip: "1.1.1.1", id: "a", now: 0)
        #expect(allowed1)  // creates the entry, not counted
        for index in 1...31 {
            let allowed2 = blocker.allow(ip: "1.1.1.1", id: "a", now: Int64(index))
            #expect(allowed2, "request \(index)")
        }
        let allowed3 = blocker.allow(ip: "1.1.1.1", id: "a", now: 100)
        #expect(!allowed3)
        #expect(blocker["1.1.1.1"]?.count == 31)
    }

    @Test func burstWindowResetsAfterSixtyWholeSeconds() {
        var blocker = IPBlocker()
        _ = blocker.allow(ip: "ip", id: "a", now: 0)
        for index in 1...31 { _ = blocker.allow(ip: "ip", id: "a", now: Int64(index)) }
        let allowed4 = blocker.allow(ip: "ip", id: "a", now: 31 + 60_999)
        #expect(!allowed4)  // 60.999 s: still 60 whole seconds
        let allowed5 = blocker.allow(ip: "ip", id: "a", now: 31 + 61_000)
        #expect(allowed5)
        #expect(blocker["ip"]?.count == 1)
    }

    @Test func distinctIDsAreBoundedPerIP() {
        var blocker = IPBlocker()
        _ = blocker.allow(ip: "ip", id: "first", now: 0)  // not recorded
        var time: Milliseconds = 0
        var accepted = 1
        for index in 0..<400 {
            time += 61_000  // each request in a fresh burst window, all within one day
            if blocker.allow(ip: "ip", id: "id\(index)", now: time) { accepted += 1 }
        }
        #expect(accepted == 302)
        #expect(blocker["ip"]?.ids.count == 301)
        // A known ID is still allowed once the set is full.
        let allowed6 = blocker.allow(ip: "ip", id: "id0", now: time + 61_000)
        #expect(allowed6)
    }

    @Test func idSetClearsAfterADay() {
        var blocker = IPBlocker()
        _ = blocker.allow(ip: "ip", id: "x", now: 0)
        for index in 0..<301 { _ = blocker.allow(ip: "ip", id: "id\(index)", now: Int64(index + 1) * 61_000) }
        let allowed7 = blocker.allow(ip: "ip", id: "new", now: 302 * 61_000)
        #expect(!allowed7)
        let allowed8 = blocker.allow(ip: "ip", id: "new", now: 302 * 61_000 + 86_401_000)
        #expect(allowed8)
        #expect(blocker["ip"]?.ids == ["new"])
    }

    @Test func tableIsCappedAndEvictsOldest() {
        var blocker = IPBlocker(capacity: 64)
        for index in 0..<1_000 {
            _ = blocker.allow(ip: "10.0.\(index / 256).\(index % 256)", id: "id", now: Int64(index))
        }
        #expect(blocker.entries.count <= 64)
        #expect(blocker["10.0.3.231"] != nil)  // the newest survives
        #expect(blocker["10.0.0.0"] == nil)
    }

    @Test func purgeDropsOnlyFullyExpiredEntries() {
        var blocker = IPBlocker()
        _ = blocker.allow(ip: "old", id: "a", now: 0)
        _ = blocker.allow(ip: "recent", id: "a", now: 86_000_000)
        blocker.purgeExpired(now: 86_402_000)
        #expect(blocker["old"] == nil)
        #expect(blocker["recent"] != nil)
    }
}

@Suite struct RendezvousTablesTests {
    @Test func onlineBitmapIsExactLengthMSBFirst() {
        #expect(OnlineBitmap.make(count: 0) { _ in true } == [])
        #expect(OnlineBitmap.make(count: 3) { $0 != 1 } == [0xA0])
        #expect(OnlineBitmap.make(count: 8) { _ in true } == [0xFF])
        #expect(OnlineBitmap.make(count: 9) { $0 == 8 } == [0x00, 0x80])
        #expect(OnlineBitmap.make(count: 17) { _ in false }.count == 3)
    }

    @Test func punchRequestsDeduplicateWithinSixtySeconds() {
        var log = PunchRequestLog()
        log.record(fromIP: "a", toIP: "x", toID: "1", now: 0)
        log.record(fromIP: "a", toIP: "x", toID: "1", now: 59_999)
        #expect(log.count == 1)
        log.record(fromIP: "a", toIP: "x", toID: "2", now: 1)
        log.record(fromIP: "b", toIP: "x", toID: "1", now: 2)
        #expect(log.count == 3)
        log.record(fromIP: "a", toIP: "x", toID: "1", now: 60_000)
        #expect(log.count == 4)
    }

    @Test func punchRequestDuplicateScanStopsAtThirtyEntries() {
        var log = PunchRequestLog()
        log.record(fromIP: "a", toIP: "x", toID: "1", now: 0)
        for index in 0..<30 { log.record(fromIP: "other\(index)", toIP: "x", toID: "9", now: 1) }
        log.record(fromIP: "a", toIP: "x", toID: "1", now: 2)
        #expect(log.count == 32)
    }

    @Test func punchRequestLogKeepsNewestWhenFull() {
        var log = PunchRequestLog(capacity: 40)
        for index in 0..<100 { log.record(fromIP: "ip\(index)", toIP: "x", toID: "1", now: Int64(index)) }
        #expect(log.count == 40)
        #expect(log[0].fromIP == "ip60")
        #expect(log[39].fromIP == "ip99")
        #expect(log.page(start: 38, size: 10).map(\.fromIP) == ["ip98", "ip99"])
        log.removeAll()
        #expect(log.count == 0)
    }

    @Test func relaySelectionRotates() {
        let selector = RelaySelector(configured: [])
        #expect(selector.select() == "")
        selector.replaceConfigured(["one"])
        #expect(selector.select() == "one")
        #expect(selector.select() == "one")
        selector.replaceConfigured(["a", "b:21117", "c"])
        #expect((0..<6).map { _ in selector.select() } == ["a", "b:21117", "c", "a", "b:21117", "c"])
        selector.updateHealthy([])
        #expect(selector.healthy == ["a", "b:21117", "c"])
        selector.updateHealthy(["c"])
        #expect(selector.select() == "c")
        #expect(selector.configured == ["a", "b:21117", "c"])
    }

    @Test func ipChangesWindowAndConsolePurge() {
        var log = IPChangeLog()
        log.record(id: "p", ip: "1.1.1.1", now: 0)
        log.record(id: "p", ip: "2.2.2.2", now: 1_000)
        log.record(id: "p", ip: "2.2.2.2", now: 2_000)
        #expect(log["p"]?.counts == ["1.1.1.1": 1, "2.2.2.2": 2])
        log.record(id: "p", ip: "3.3.3.3", now: 181_001)
        #expect(log["p"]?.counts == ["3.3.3.3": 1])
        log.record(id: "q", ip: "1.1.1.1", now: 0)
        log.record(id: "q", ip: "2.2.2.2", now: 0)
        log.purgeForConsole(now: 359_999)
        #expect(log["p"] == nil)  // a single IP
        #expect(log["q"] != nil)
        log.purgeForConsole(now: 360_000)
        #expect(log["q"] == nil)
    }
}
