import Foundation
import NIOCore
import Relay
import RelayCore
import RustDeskCore
import Synchronization
import TestSupport
import Testing

/// Bulk transfers and timing: serialized so their throughput is not shared with each other. TCP pairs
/// run both ways: on the direct relay thread (the default) and through NIO's `RelayForwarder`.
@Suite(.serialized) struct RelayStreamingTests {
    /// Offers far more than the cap allows until 2 s of rate have arrived, however long a loaded machine
    /// takes for that, then checks on the relay's clock that they did not arrive faster than the cap lets
    /// them: at most the rate for the time taken plus one read burst and the limiter's saved-up credit.
    /// A starved relay only takes longer; only a relay that lets more through fails.
    static func expectCappedFlow(
        _ relay: TestRelay, from sender: TestClient, to receiver: TestClient, pattern: TestPattern,
        bitsPerSecond rate: Int
    ) async throws {
        let bytesPerSecond = rate / 8
        let start = relay.clock.now()
        let sending = Task { try await sender.sendPattern(pattern, count: 16 * 1024 * 1024) }
        defer { sending.cancel() }
        #expect(await receiver.waitForBytes(2 * bytesPerSecond, timeout: .seconds(120)))
        let received = receiver.received.count
        let elapsed = relay.clock.now() - start
        // The NIO forwarder was seen up to two read cycles (four 64 KiB reads each) ahead of the cap on a
        // loaded machine; 1 MiB leaves room above that, plus a full bucket (0.1 s of rate).
        let burst = 1024 * 1024 + bytesPerSecond / 10
        let allowed = Int(elapsed) * bytesPerSecond / 1000 + burst
        #expect(received <= allowed, "\(received) bytes in \(elapsed) ms")
    }

    /// Writes 64 copies of `unit` to the sender's socket at once, then waits (up to 20 s) until the count
    /// the socket accepted stops growing for half a second.
    static func offerUntilStalled(_ sender: TestClient, _ unit: [UInt8]) async -> AcceptedBytes {
        let accepted = AcceptedBytes()
        for _ in 0..<64 {
            var buffer = sender.channel.allocator.buffer(capacity: unit.count)
            buffer.writeBytes(unit)
            sender.channel.write(buffer).whenSuccess { accepted.add(unit.count) }
        }
        sender.channel.flush()
        let settled = await poll(timeout: .seconds(20)) {
            let before = accepted.value
            try? await Task.sleep(for: .milliseconds(500))
            return before > 0 && accepted.value == before
        }
        #expect(settled)
        return accepted
    }

    @Test(arguments: [true, false]) func sixtyFourMebibytesEachWayArriveIntact(direct: Bool) async throws {
        let relay = try await TestRelay.start { $0.directTCPRelay = direct }
        let toSecond = TestPattern(seed: 0x1234_5678)
        let toFirst = TestPattern(seed: 0x9ABC_DEF0)
        let (first, second) = try await relay.pair(firstPattern: toFirst, secondPattern: toSecond)
        let size = 64 * 1024 * 1024
        try await withTimeout(.seconds(120), "bulk transfer") {
            async let one: Void = first.sendPattern(toSecond, count: size)
            async let two: Void = second.sendPattern(toFirst, count: size)
            _ = try await (one, two)
        }
        #expect(await second.waitForBytes(size, timeout: .seconds(60)))
        #expect(await first.waitForBytes(size, timeout: .seconds(60)))
        #expect(second.received.count == size)
        #expect(first.received.count == size)
        #expect(!second.received.mismatch)
        #expect(!first.received.mismatch)
        await first.close()
        #expect(await second.waitForClose())
        await relay.stop()
    }

    /// A receiver that never reads must stall the sender: the server keeps at most its high-water
    /// mark plus socket buffers, so far less than the 64 MiB offered is accepted from the sender.
    @Test(arguments: [true, false]) func nonReadingReceiverStallsTheSender(direct: Bool) async throws {
        let relay = try await TestRelay.start { $0.directTCPRelay = direct }
        let uuid = UUID().uuidString
        let sender = try await relay.connect()
        try await sender.send(try requestRelayFrame(uuid: uuid))
        #expect(await poll(timeout: .seconds(15)) { relay.server.waitingCount == 1 })
        let sleeper = try await relay.connect(autoRead: false)
        try await sleeper.send(try requestRelayFrame(uuid: uuid))
        #expect(await poll(timeout: .seconds(15)) { relay.server.waitingCount == 0 })

        let accepted = await Self.offerUntilStalled(sender, TestPattern(seed: 7).bytes(at: 0, count: 1024 * 1024))
        #expect(accepted.value < 40 * 1024 * 1024, "accepted \(accepted.value) bytes")
        #expect(!sender.channel.isWritable)
        await sender.close()
        await sleeper.close()
        await relay.stop()
    }

    /// What a half sent before closing still reaches its partner, even when most of it waits behind a
    /// receiver that has not read yet; then the partner sees the close.
    @Test(arguments: [true, false]) func bytesSentBeforeACloseAreDeliveredFirst(direct: Bool) async throws {
        let relay = try await TestRelay.start { $0.directTCPRelay = direct }
        let uuid = UUID().uuidString
        let pattern = TestPattern(seed: 0x00C1_05ED)
        let sender = try await relay.connect()
        try await sender.send(try requestRelayFrame(uuid: uuid))
        #expect(await poll(timeout: .seconds(15)) { relay.server.waitingCount == 1 })
        let receiver = try await relay.connect(pattern: pattern, autoRead: false)
        try await receiver.send(try requestRelayFrame(uuid: uuid))
        #expect(await poll(timeout: .seconds(15)) { relay.server.waitingCount == 0 })

        let size = 4 * 1024 * 1024
        try await withTimeout(.seconds(30), "sending before the close") {
            try await sender.sendPattern(pattern, count: size)
        }
        await sender.close()
        // Only now does the receiver read: the relay holds data for it and has seen (or will see) EOF.
        receiver.channel.setOption(.autoRead, value: true).whenSuccess { receiver.channel.read() }
        #expect(await receiver.waitForBytes(size, timeout: .seconds(30)))
        #expect(receiver.received.count == size)
        #expect(!receiver.received.mismatch)
        #expect(await receiver.waitForClose())
        await relay.stop()
    }

    /// The same bound when the receiver is a WebSocket half and the sender a framed TCP half.
    @Test func nonReadingWebSocketReceiverStallsTheTCPSender() async throws {
        let relay = try await TestRelay.start()
        let (sender, sleeper) = try await relay.mixedPair(webSocketReads: false)

        let frame = try FrameCodec.encode(TestPattern(seed: 8).bytes(at: 0, count: 1024 * 1024))
        let accepted = await Self.offerUntilStalled(sender, frame)
        #expect(accepted.value < 40 * 1024 * 1024, "accepted \(accepted.value) bytes")
        await sender.close()
        await sleeper.close()
        await relay.stop()
    }

    @Test(arguments: [true, false]) func singleBandwidthCapsThroughput(direct: Bool) async throws {
        let rate = 8 * HbbrConfiguration.bitsPerMegabit
        let configuration = HbbrConfiguration(singleBandwidth: rate, totalBandwidth: 1 << 40, limitSpeed: 1 << 40)
        let relay = try await TestRelay.start(configuration: configuration) { $0.directTCPRelay = direct }
        let pattern = TestPattern(seed: 3)
        let (first, second) = try await relay.pair(secondPattern: pattern)
        try await Self.expectCappedFlow(relay, from: first, to: second, pattern: pattern, bitsPerSecond: rate)
        #expect(!second.received.mismatch)
        await first.close()
        await second.close()
        await relay.stop()
    }

    @Test(arguments: [true, false]) func totalBandwidthChangeAppliesLive(direct: Bool) async throws {
        let relay = try await TestRelay.start { $0.directTCPRelay = direct }
        let rate = 8 * HbbrConfiguration.bitsPerMegabit
        #expect(try await relay.console("tb 8") == "")
        #expect(relay.controls.total.rate == rate)
        let pattern = TestPattern(seed: 5)
        let (first, second) = try await relay.pair(secondPattern: pattern)
        try await Self.expectCappedFlow(relay, from: first, to: second, pattern: pattern, bitsPerSecond: rate)
        await first.close()
        await second.close()
        await relay.stop()
    }
}

/// Counts bytes the sender's socket accepted; written from the client's event loop.
final class AcceptedBytes: Sendable {
    /// Guards the count.
    private let count = Mutex(0)
    func add(_ bytes: Int) { count.withLock { $0 += bytes } }
    var value: Int { count.withLock { $0 } }
}
