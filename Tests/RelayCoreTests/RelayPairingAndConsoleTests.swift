import RustDeskCore
import Testing

@testable import RelayCore

@Suite struct RelayPairingTableTests {
    @Test func secondArrivalPairsWithTheFirst() {
        var table = RelayPairingTable<String>(capacity: 10)
        guard case .park(let until) = table.arrive(uuid: "u", id: 1, side: "A", now: 100, waitFor: 30_000) else {
            Issue.record("first arrival must park")
            return
        }
        #expect(until == 30_100)
        guard case .pair(let partner) = table.arrive(uuid: "u", id: 2, side: "B", now: 200, waitFor: 30_000) else {
            Issue.record("second arrival must pair")
            return
        }
        #expect(partner == "A")
        #expect(table.count == 0)
        #expect(table.remove(uuid: "u", id: 1) == nil)
    }

    @Test func removalOnlyTakesTheSameConnection() {
        var table = RelayPairingTable<String>()
        _ = table.arrive(uuid: "u", id: 1, side: "A", now: 0, waitFor: 10)
        #expect(table.remove(uuid: "u", id: 2) == nil)
        #expect(table.remove(uuid: "u", id: 1) == "A")
    }

    @Test func fullTableRefusesUnlessEntriesExpired() {
        var table = RelayPairingTable<String>(capacity: 1)
        _ = table.arrive(uuid: "a", id: 1, side: "A", now: 0, waitFor: 100)
        guard case .reject = table.arrive(uuid: "b", id: 2, side: "B", now: 50, waitFor: 100) else {
            Issue.record("full table must refuse")
            return
        }
        guard case .park = table.arrive(uuid: "b", id: 2, side: "B", now: 100, waitFor: 100) else {
            Issue.record("expired entries make room")
            return
        }
        #expect(table.count == 1)
    }
}

@Suite struct RelayConsoleTests {
    static func console() -> RelayConsole {
        RelayConsole(controls: RelayControls(configuration: HbbrConfiguration(), now: { 0 }))
    }

    @Test func helpHasTwelveLines() {
        let help = Self.console().execute("h")
        #expect(help.split(separator: "\n").count == 12)
        #expect(help.hasSuffix("single-bandwidth(sb) [value(Mb/s)]\nusage(u)\n"))
    }

    @Test func listsAddRemoveAndShow() {
        let console = Self.console()
        #expect(console.execute("ba 1.1.1.1|2.2.2.2") == "")
        #expect(console.execute("b 1.1.1.1") == "true\n")
        #expect(console.execute("br 1.1.1.1") == "")
        #expect(console.execute("b") == "2.2.2.2\n")
        #expect(console.execute("br all") == "")
        #expect(console.execute("b") == "")
        #expect(console.execute("Ba 3.3.3.3") == "")
        #expect(console.execute("B 3.3.3.3") == "true\n")
        #expect(console.execute("b 3.3.3.3") == "false\n")
        #expect(console.execute("blocklist-remove 3.3.3.3") == "")
        #expect(console.execute("blocklist 3.3.3.3") == "false\n")
    }

    @Test func parametersReadAndSet() {
        let console = Self.console()
        #expect(console.execute("dt") == "0.66\n")
        #expect(console.execute("dt 0.5") == "")
        #expect(console.execute("downgrade-threshold") == "0.5\n")
        #expect(console.execute("dt -1") == "")
        #expect(console.execute("dt") == "0.5\n")
        #expect(console.execute("t") == "1800s\n")
        #expect(console.execute("t 60") == "")
        #expect(console.execute("t 0") == "")
        #expect(console.execute("t") == "60s\n")
        #expect(console.controls.downgradeStartCheck == 60_000)
        #expect(console.execute("ls") == "32Mb/s\n")
        #expect(console.execute("sb 16") == "")
        #expect(console.execute("single-bandwidth") == "16Mb/s\n")
        #expect(console.execute("tb 2048") == "")
        #expect(console.execute("tb") == "2048Mb/s\n")
        #expect(console.controls.total.rate == 2048 * 1024 * 1024)
        #expect(console.execute("ls 0.1") == "")
        #expect(console.execute("ls") == "0.09999942779541016Mb/s\n")
        #expect(console.execute("ls abc") == "")
        #expect(console.execute("B") == "")
        #expect(console.execute("x") == "")
    }

    @Test func usageLinesSortedByTotal() {
        let console = Self.console()
        let usage = console.controls.usage
        usage.publish(
            "::ffff:1.2.3.4:5678", .init(elapsed: 2500, total: 3 * 8 * 1024 * 1024, highest: 20_000, current: 9))
        usage.publish("5.6.7.8:9", .init(elapsed: 1000, total: 8 * 1024 * 1024 * 10, highest: 1, current: 2))
        usage.publish("9.9.9.9:1", .init())
        #expect(
            console.execute("u")
                == "5.6.7.8:9: 1s 10.00MB 1kb/s 83886kb/s 2kb/s\n"
                + "::ffff:1.2.3.4:5678: 2s 3.00MB 20000kb/s 10066kb/s 9kb/s\n")
    }

    @Test(arguments: [
        (32.0, "32"), (0.66, "0.66"), (1024.0, "1024"), (1e-7, "0.0000001"), (1e21, "1000000000000000000000"),
        (1.5e-5, "0.000015"), (123.456, "123.456"), (0.0, "0"),
    ])
    func floatsPrintLikeRust(value: Double, text: String) {
        #expect(RustFloatDisplay.text(value) == text)
    }

    @Test func listFileParsing() {
        #expect(RelayIPList.parse(fileContents: "1.2.3.4 x\n \t5.6.7.8\r\n\n") == ["1.2.3.4", "5.6.7.8", "", ""])
    }
}
