import RustDeskCore
import Testing

@testable import RendezvousCore

@Suite struct HbbsConsoleIPTableTests {
    private func allow(_ fixture: ConsoleFixture, _ ip: String, _ id: String, at time: Milliseconds) {
        _ = fixture.tables.ipActivity.allowRegistration(ip: ip, id: id, now: time)
    }

    private func record(_ fixture: ConsoleFixture, _ id: String, _ ip: String, at time: Milliseconds) {
        fixture.tables.ipActivity.recordIPChange(id: id, ip: ip, now: time)
    }

    /// 1.1.1.1: counted twice at 5 s with two IDs; 2.2.2.2: only its uncounted first request at 0.
    private func blockerFixture() -> ConsoleFixture {
        let fixture = ConsoleFixture()
        allow(fixture, "1.1.1.1", "first", at: 0)
        allow(fixture, "1.1.1.1", "a", at: 5000)
        allow(fixture, "1.1.1.1", "b", at: 5000)
        allow(fixture, "2.2.2.2", "first", at: 0)
        fixture.setTime(12_500)
        return fixture
    }

    @Test func ipBlockerListsFromZeroWithoutArgument() {
        let fixture = blockerFixture()
        #expect(fixture.run("ib") == "2\n1.1.1.1: 2/7s 2/7s\n2.2.2.2: 0/12s 0/12s\n")
        #expect(fixture.run("ip-blocker 1") == "2\n2.2.2.2: 0/12s 0/12s\n")
        #expect(fixture.run("ib +0 -") == "2\n1.1.1.1: 2/7s 2/7s\n2.2.2.2: 0/12s 0/12s\n")  // numbers never remove
    }

    @Test func ipBlockerLooksUpAndRemovesAnIP() {
        let fixture = blockerFixture()
        #expect(fixture.run("ib 1.1.1.1") == "2\n2/7s 2/7s\n")
        #expect(fixture.run("ib 1.1.1.1 x") == "2\n2/7s 2/7s\n")
        #expect(fixture.run("ib 9.9.9.9 -") == "2\n")
        #expect(fixture.run("ib 2.2.2.2 -") == "2\n0/12s 0/12s\n")
        #expect(fixture.run("ib") == "1\n1.1.1.1: 2/7s 2/7s\n")
    }

    @Test(arguments: ["ib -1", "ib 99999999999", "ib  1.1.1.1", "ib 1.1.1.1\u{0}", "ib -"])
    func ipBlockerTreatsNonIndexArgumentsAsUnknownIPs(line: String) {
        #expect(blockerFixture().run(line) == "2\n")
    }

    @Test func ipBlockerMatchesKeysByteForByte() {
        let fixture = ConsoleFixture()
        allow(fixture, "K", "first", at: 0)
        #expect(fixture.run("ib \u{212A} -") == "1\n")  // KELVIN SIGN is canonically "K" in Swift, not in Rust
        #expect(fixture.run("ib K") == "1\n0/0s 0/0s\n")
    }

    @Test func ipBlockerPurgesWhenBothWindowsExpired() {
        let fixture = ConsoleFixture()
        allow(fixture, "old", "first", at: 0)
        allow(fixture, "fresh", "first", at: 0)
        allow(fixture, "fresh", "a", at: 86_000_000)
        fixture.setTime(86_400_999)  // 86 400 whole seconds: not yet
        #expect(fixture.run("ib") == "2\nfresh: 1/400s 1/400s\nold: 0/86400s 0/86400s\n")
        fixture.setTime(86_401_000)
        #expect(fixture.run("ib") == "1\nfresh: 1/401s 1/401s\n")
        #expect(
            fixture.tables.ipActivity.inspectBlocker(now: 86_401_000, key: nil, remove: false, list: false).count == 1)
    }

    @Test func ipBlockerListsAtMostTenFromTheStart() {
        let fixture = ConsoleFixture()
        let ips = (0..<12).map { "ip" + ($0 < 10 ? "0" : "") + String($0) }
        for ip in ips.reversed() { allow(fixture, ip, "first", at: 0) }
        fixture.setTime(1000)
        let lines = ips.map { "\($0): 0/1s 0/1s\n" }
        #expect(fixture.run("ib") == "12\n" + lines[0..<10].joined())
        #expect(fixture.run("ib 0") == "12\n" + lines[0..<10].joined())
        #expect(fixture.run("ib 10") == "12\n" + lines[10..<12].joined())
        #expect(fixture.run("ib 11") == "12\n" + lines[11])
        #expect(fixture.run("ib 12") == "12\n")
        #expect(fixture.run("ib 2147483647") == "12\n")
    }

    /// "peer" saw two IPs; "123456789" (a numeric ID above the index range) too; "single" only one.
    private func changesFixture() -> ConsoleFixture {
        let fixture = ConsoleFixture()
        record(fixture, "peer", "2.2.2.2", at: 0)
        record(fixture, "peer", "1.1.1.1", at: 1000)
        record(fixture, "peer", "2.2.2.2", at: 2000)
        record(fixture, "single", "3.3.3.3", at: 0)
        record(fixture, "single", "3.3.3.3", at: 0)
        record(fixture, "123456789", "::1", at: 0)
        record(fixture, "123456789", "1.1.1.1", at: 0)
        fixture.setTime(10_500)
        return fixture
    }

    private static let peerMap = #"{"1.1.1.1": 1, "2.2.2.2": 2}"#
    private static let numericMap = #"{"1.1.1.1": 1, "::1": 1}"#

    @Test func ipChangesPurgesAndLists() {
        let fixture = changesFixture()
        let expected = "2\n123456789: 10s \(Self.numericMap)\npeer: 10s \(Self.peerMap)\n"
        #expect(fixture.run("ic") == expected)
        #expect(fixture.run("ip-changes 0") == expected)
        #expect(fixture.run("ic 1") == "2\npeer: 10s \(Self.peerMap)\n")
        #expect(fixture.run("ic 10000000") == "2\n")  // top of the index range: still an index
        #expect(fixture.run("ic single") == "2\n")
    }

    @Test func ipChangesLooksUpAndRemovesAnID() {
        let fixture = changesFixture()
        #expect(fixture.run("ic peer") == "2\n10s \(Self.peerMap)\n")
        #expect(fixture.run("ic peer -") == "2\n10s \(Self.peerMap)\n")
        #expect(fixture.run("ic peer") == "1\n")
        #expect(fixture.run("ic -5") == "1\n")  // negative: an ID, and no listing
    }

    @Test func ipChangesNumericIDAboveRangeIsAnIDAndAStartIndex() {
        let fixture = changesFixture()
        // Looked up as an ID, then also used as a listing start, which lists nothing here.
        #expect(fixture.run("ic 123456789") == "2\n10s \(Self.numericMap)\n")
        #expect(fixture.run("ic 123456789 -") == "2\n10s \(Self.numericMap)\n")
        #expect(fixture.run("ic") == "1\npeer: 10s \(Self.peerMap)\n")
        #expect(fixture.run("ic 10000001") == "1\n")
    }

    @Test func ipChangesDropsEntriesOfSixMinutes() {
        let fixture = changesFixture()
        fixture.setTime(359_999)
        #expect(fixture.run("ic") == "2\n123456789: 359s \(Self.numericMap)\npeer: 359s \(Self.peerMap)\n")
        fixture.setTime(360_000)
        #expect(fixture.run("ic") == "0\n")
    }

    @Test func ipChangesListsAtMostTen() {
        let fixture = ConsoleFixture()
        let ids = (0..<12).map { "id" + ($0 < 10 ? "0" : "") + String($0) }
        for id in ids {
            record(fixture, id, "1.1.1.1", at: 0)
            record(fixture, id, "2.2.2.2", at: 0)
        }
        let lines = ids.map { #"\#($0): 0s {"1.1.1.1": 1, "2.2.2.2": 1}"# + "\n" }
        #expect(fixture.run("ic") == "12\n" + lines[0..<10].joined())
        #expect(fixture.run("ic 10") == "12\n" + lines[10..<12].joined())
        #expect(fixture.run("ic 12") == "12\n")
    }
}
