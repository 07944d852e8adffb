import RustDeskCore
import Testing

@testable import RendezvousCore

@Suite struct HbbsConsolePunchRequestTests {
    private func record(_ fixture: ConsoleFixture, _ from: String, _ id: String, _ to: String, at time: Milliseconds) {
        fixture.tables.punchRequests.record(fromIP: from, toIP: to, toID: id, now: time)
    }

    /// Wall clock 22:13:20Z at monotonic 100 s; requests at 0 s, 1.5 s and 70 s.
    private func fixture() -> ConsoleFixture {
        let fixture = ConsoleFixture()
        record(fixture, "1.1.1.1", "peerA", "5.5.5.5", at: 0)
        record(fixture, "::1", "peerB", "6.6.6.6", at: 1500)
        record(fixture, "1.1.1.1", "peerA", "5.5.5.5", at: 70_000)
        fixture.setTime(100_000)
        return fixture
    }

    private static let lines = [
        "2023-11-14T22:11:40Z 1.1.1.1 -> peerA@5.5.5.5\n",
        "2023-11-14T22:11:41Z ::1 -> peerB@6.6.6.6\n",  // 98.5 s before 22:13:20.000
        "2023-11-14T22:12:50Z 1.1.1.1 -> peerA@5.5.5.5\n",
    ]

    @Test func listsOldestFirstWithCalendarTimes() {
        let fixture = fixture()
        #expect(fixture.run("pr") == Self.lines.joined())
        #expect(fixture.run("punch-requests 1") == Self.lines[1...].joined())
        #expect(fixture.run("pr 1 1") == Self.lines[1])
        #expect(fixture.run("pr 0 0") == Self.lines.joined())  // page 0 means 10
        #expect(fixture.run("pr +2") == Self.lines[2])
        #expect(fixture.run("pr 3") == "")
    }

    @Test(arguments: ["pr x", "pr -1", "pr x y", "pr 0 -1", "pr 0 99999999999999999999", "pr  "])
    func unparsableNumbersMeanDefaults(line: String) {
        #expect(fixture().run(line) == Self.lines.joined())
    }

    @Test func hugeStartAndPageAreSafe() {
        let fixture = fixture()
        #expect(fixture.run("pr 18446744073709551615 18446744073709551615") == "")
        #expect(fixture.run("pr 1 18446744073709551615") == Self.lines[1...].joined())
    }

    @Test func dashClears() {
        let fixture = fixture()
        #expect(fixture.run("pr -") == "")
        #expect(fixture.run("pr") == "")
        #expect(fixture.tables.punchRequests.count == 0)
    }

    @Test func pagesHoldTenByDefault() {
        let fixture = ConsoleFixture()
        for index in 0..<12 { record(fixture, "1.1.1.1", "id\(index)", "2.2.2.2", at: 0) }
        let line = { (index: Int) in "2023-11-14T22:13:20Z 1.1.1.1 -> id\(index)@2.2.2.2\n" }
        #expect(fixture.run("pr") == (0..<10).map(line).joined())
        #expect(fixture.run("pr 10") == (10..<12).map(line).joined())
        #expect(fixture.run("pr 0 12") == (0..<12).map(line).joined())
    }
}
