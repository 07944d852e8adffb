import Foundation
import NIOCore
import Relay
import RelayCore
import RustDeskCore
import TestSupport
import Testing

@Suite struct RelayConsoleListTests {
    @Test func consoleOverLoopbackAnswersAndApplies() async throws {
        let relay = try await TestRelay.start(configuration: HbbrConfiguration())
        #expect(try await relay.console("h").hasPrefix("blacklist-add(ba) <ip>\n"))
        #expect(try await relay.console("sb\n") == "128Mb/s\n")
        #expect(try await relay.console("ls 0.5") == "")
        #expect(try await relay.console("ls") == "0.5Mb/s\n")
        #expect(try await relay.console("t") == "1800s\n")
        #expect(try await relay.console("dt") == "0.66\n")
        #expect(try await relay.console("ba 10.0.0.1|10.0.0.2") == "")
        #expect(try await relay.console("b 10.0.0.2") == "true\n")
        #expect(try await relay.console("nonsense") == "")
        await relay.stop()
    }

    @Test func blocklistedLoopbackClientIsRefused() async throws {
        let relay = try await TestRelay.start(blocklist: ["127.0.0.1"]) { $0.consoleEnabled = false }
        let client = try await relay.connect()
        #expect(await client.waitForClose())
        await relay.stop()
    }

    @Test(arguments: [true, false]) func blocklistingDuringTheRelayEndsThePair(direct: Bool) async throws {
        let relay = try await TestRelay.start { $0.directTCPRelay = direct }
        let (first, second) = try await relay.pair()
        try await first.send([1])
        #expect(await second.waitForBytes(1))
        relay.controls.blocklist.insert(["127.0.0.1"])
        // Checked when an accounting period (1 s of the relay's clock) closes.
        #expect(await relay.clock.advance(by: .seconds(1), until: { first.received.closed }))
        #expect(await second.waitForClose())
        await relay.stop()
    }

    @Test func usageListsTheActivePair() async throws {
        // Frozen, so the period the console reports is exactly the one second the test moves on.
        let relay = try await TestRelay.start(clock: TestClock())
        let (first, second) = try await relay.pair()
        try await first.send([UInt8](repeating: 1, count: 1000))
        #expect(await second.waitForBytes(1000))
        let port = try #require(second.channel.localAddress?.port)
        let key = "127.0.0.1:\(port)"
        // One accounting period on the relay's clock, exactly.
        await relay.clock.advance(by: .seconds(1))
        #expect(await poll(timeout: .seconds(15)) { relay.controls.usage.snapshot[key]?.elapsed ?? 0 > 0 })
        let report = try await relay.console("u")
        #expect(report.hasPrefix("\(key): 1s 0.00MB "), "\(report)")
        await first.close()
        #expect(await poll(timeout: .seconds(15)) { relay.controls.usage.snapshot.isEmpty })
        await relay.stop()
    }

    @Test func listFilesAreReadFromTheDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "1.2.3.4 noisy\n  5.6.7.8\n".write(
            to: directory.appendingPathComponent("blacklist.txt"), atomically: true, encoding: .utf8)
        let blacklist = RelayListFiles.load(RelayListFiles.blacklistFile, directory: directory.path)
        #expect(blacklist.contains("1.2.3.4"))
        #expect(blacklist.contains("5.6.7.8"))
        #expect(blacklist.contains(""))
        #expect(blacklist.count == 3)
        #expect(RelayListFiles.load(RelayListFiles.blocklistFile, directory: directory.path).count == 0)
    }

    @Test func patternCheckDetectsCorruption() {
        let pattern = TestPattern(seed: 11)
        var buffer = ByteBuffer(bytes: pattern.bytes(at: TestPattern.period - 10, count: 100))
        #expect(pattern.matches(buffer, at: TestPattern.period - 10))
        #expect(!pattern.matches(buffer, at: TestPattern.period - 9))
        buffer.setInteger(~(buffer.getInteger(at: 50, as: UInt8.self) ?? 0), at: 50)
        #expect(!pattern.matches(buffer, at: TestPattern.period - 10))
    }
}
