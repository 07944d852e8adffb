import RustDeskCore
import Testing

@testable import RendezvousCore

@Suite struct HbbsConsoleTests {
    @Test func helpListsSevenCommands() {
        let expected = """
            relay-servers(rs) <separated by ,>
            reload-geo(rg)
            ip-blocker(ib) [<ip>|<number>] [-]
            ip-changes(ic) [<id>|<number>] [-]
            punch-requests(pr) [<number>] [-]
            always-use-relay(aur)
            test-geo(tg) <ip1> <ip2>

            """
        #expect(ConsoleFixture().run("h") == expected)
        #expect(ConsoleFixture().run(" \t h\r\n") == expected)
        #expect(ConsoleFixture().run("\u{3000}h\u{85}") == expected)  // Unicode white space is trimmed too
    }

    @Test(arguments: ["", "   ", "\n", "H", "help", "hh", "h\u{301}", "x y", "rg", "reload-geo", "reload-geo x"])
    func otherLinesGiveNoOutput(line: String) {
        #expect(ConsoleFixture(relays: ["a"]).run(line) == "")
    }

    @Test func leadingSpaceIsTrimmedBeforeSplitting() {
        #expect(ConsoleFixture(relays: ["a"]).run(" rs") == "a\n")
    }

    @Test func relayServersListsTheHealthyList() {
        let fixture = ConsoleFixture(relays: ["r1:21117", "r2"])
        #expect(fixture.run("rs") == "r1:21117\nr2\n")
        fixture.tables.relays.updateHealthy(["r2"])
        #expect(fixture.run("relay-servers") == "r2\n")
        #expect(ConsoleFixture().run("rs") == "")
    }

    @Test func relayServersReplacesTheConfiguredList() {
        let fixture = ConsoleFixture(relays: ["old"])
        #expect(fixture.run("rs a,bad.example,,b:1 ignored") == "")
        #expect(fixture.resolverCalls.withLock { $0 } == ["a,bad.example,,b:1"])
        #expect(fixture.tables.relays.configured == ["a", "b:1"])
        #expect(fixture.run("rs") == "a\nb:1\n")
        #expect(fixture.run("relay-servers bad") == "")
        #expect(fixture.tables.relays.configured == [])
        #expect(fixture.run("rs") == "")
        #expect(fixture.run("rs x") == "")
        #expect(fixture.run("rs  y") == "")  // the list is the empty token: relays cleared
        #expect(fixture.resolverCalls.withLock { $0.last } == "")
        #expect(fixture.tables.relays.configured == [])
    }

    @Test func alwaysUseRelayReadsAndSetsTheFlagOnly() {
        let fixture = ConsoleFixture(relays: ["r1", "r2"])
        #expect(fixture.run("aur") == "ALWAYS_USE_RELAY: false\n")
        #expect(fixture.run("aur y") == "")
        #expect(fixture.run("always-use-relay") == "ALWAYS_USE_RELAY: true\n")
        #expect(fixture.run("aur N") == "")
        #expect(fixture.run("aur") == "ALWAYS_USE_RELAY: false\n")
        #expect(fixture.run("aur Y") == "")
        #expect(fixture.run("aur yes") == "")
        #expect(fixture.run("aur") == "ALWAYS_USE_RELAY: false\n")
        // Unlike the reference, the argument never reaches the relay list.
        #expect(fixture.tables.relays.configured == ["r1", "r2"])
        #expect(fixture.tables.relays.healthy == ["r1", "r2"])
        #expect(fixture.resolverCalls.withLock { $0 }.isEmpty)
    }

    @Test func testGeoRotatesThroughTheRelays() {
        let fixture = ConsoleFixture(relays: ["a", "b:2", "c"])
        #expect(fixture.run("tg 1.2.3.4") == "\"a\"")
        #expect(fixture.run("test-geo 1.2.3.4 ::1") == "\"b:2\"")
        #expect(fixture.run("tg 1.2.3.4 nope") == "")  // invalid second IP: no selection
        #expect(fixture.run("tg nope") == "")
        #expect(fixture.run("tg") == "")
        #expect(fixture.run("tg 1.2.3.4  5.6.7.8") == "")  // the empty token is the second IP
        #expect(fixture.run("tg 1.2.3.4\u{0}") == "")
        #expect(fixture.run("tg ::ffff:1.2.3.4 1.1.1.1") == "\"c\"")
        #expect(fixture.run("tg 1.2.3.4") == "\"a\"")
        #expect(fixture.tables.relays.select() == "b:2")  // the punch path shares the counter
    }

    @Test func testGeoWithOneOrNoRelayAndEscaping() {
        #expect(ConsoleFixture().run("tg 1.2.3.4") == "\"\"")
        let single = ConsoleFixture(relays: ["one"])
        #expect(single.run("tg 1.2.3.4") == "\"one\"")
        #expect(single.run("tg 1.2.3.4") == "\"one\"")
        #expect(ConsoleFixture(relays: ["q\"\\"]).run("tg 1.2.3.4") == #""q\"\\""#)
    }
}
