import Foundation
import NIOCore
import NIOPosix
import Relay
import RelayCore
import RendezvousProtocol
import RustDeskCore
import TestSupport
import Testing

@Suite struct RelayPairingTests {
    @Test(arguments: [true, false])
    func pairsAndRelaysBothWays(firstSpeaksFirst: Bool) async throws {
        let relay = try await TestRelay.start()
        let (first, second) = try await relay.pair()
        let (speaker, listener) = firstSpeaksFirst ? (first, second) : (second, first)
        try await speaker.send(Array("hello".utf8))
        #expect(await listener.waitForBytes(5))
        try await listener.send(Array("world!".utf8))
        #expect(await speaker.waitForBytes(6))
        #expect(String(buffer: speaker.received.kept) == "world!")
        #expect(String(buffer: listener.received.kept) == "hello")
        await first.close()
        #expect(await second.waitForClose())
        await relay.stop()
    }

    @Test(arguments: [true, false]) func bytesBehindTheFirstFrameAreForwarded(direct: Bool) async throws {
        let relay = try await TestRelay.start { $0.directTCPRelay = direct }
        let uuid = UUID().uuidString
        let first = try await relay.connect()
        try await first.send(try requestRelayFrame(uuid: uuid) + Array("from-first".utf8))
        #expect(await poll(timeout: .seconds(15)) { relay.server.waitingCount == 1 })
        let second = try await relay.connect()
        try await second.send(try requestRelayFrame(uuid: uuid) + Array("from-second".utf8))
        #expect(await second.waitForBytes(10))
        #expect(await first.waitForBytes(11))
        #expect(String(buffer: second.received.kept) == "from-first")
        #expect(String(buffer: first.received.kept) == "from-second")
        await relay.stop()
    }

    @Test func licenceKeyAcceptedAndRefused() async throws {
        let relay = try await TestRelay.start { $0.licenceKey = "secret" }
        let (first, second) = try await relay.pair(licenceKey: "secret")
        try await first.send([1, 2, 3])
        #expect(await second.waitForBytes(3))

        let wrong = try await relay.connect()
        try await wrong.send(try requestRelayFrame(uuid: "x", licenceKey: "other"))
        #expect(await wrong.waitForClose())
        let missing = try await relay.connect()
        try await missing.send(try requestRelayFrame(uuid: "y"))
        #expect(await missing.waitForClose())
        #expect(relay.server.waitingCount == 0)
        await relay.stop()
    }

    @Test func emptyUUIDIsClosed() async throws {
        let relay = try await TestRelay.start()
        let client = try await relay.connect()
        try await client.send(try requestRelayFrame(uuid: ""))
        #expect(await client.waitForClose())
        await relay.stop()
    }

    @Test func parkedHalfClosesAfterPairingTimeout() async throws {
        let relay = try await TestRelay.start(clock: TestClock())
        let client = try await relay.connect()
        try await client.send(try requestRelayFrame(uuid: "lonely"))
        #expect(await poll(timeout: .seconds(15)) { relay.server.waitingCount == 1 })
        // Parked for the 30 s pairing limit: still waiting just before it, closed after it.
        await relay.clock.advance(seconds: 29)
        #expect(relay.server.waitingCount == 1)
        #expect(await relay.clock.advance(by: .seconds(2), until: { client.received.closed }))
        #expect(relay.server.waitingCount == 0)
        await relay.stop()
    }

    @Test(arguments: [true, false]) func idlePairIsClosed(direct: Bool) async throws {
        let relay = try await TestRelay.start { $0.directTCPRelay = direct }
        let (first, second) = try await relay.pair()
        try await first.send([0])
        #expect(await second.waitForBytes(1))
        // 31 s without a byte either way ends the pair, at whichever check comes next.
        #expect(await relay.clock.advance(by: .seconds(5), until: { first.received.closed }))
        #expect(await second.waitForClose())
        await relay.stop()
    }

    @Test func waitingTableIsBounded() async throws {
        let relay = try await TestRelay.start { $0.waitingCapacity = 1 }
        let parked = try await relay.connect()
        try await parked.send(try requestRelayFrame(uuid: "a"))
        #expect(await poll(timeout: .seconds(15)) { relay.server.waitingCount == 1 })
        let refused = try await relay.connect()
        try await refused.send(try requestRelayFrame(uuid: "b"))
        #expect(await refused.waitForClose())
        #expect(!parked.received.closed)
        await relay.stop()
    }
}

@Suite struct RelayFirstUnitTests {
    /// With the console off, 127.0.0.1 is handled like any remote client.
    static func plainRelay(_ adjust: @escaping (inout RelaySettings) -> Void = { _ in }) async throws -> TestRelay {
        try await TestRelay.start {
            $0.consoleEnabled = false
            adjust(&$0)
        }
    }

    @Test func garbageFrameIsClosed() async throws {
        let relay = try await Self.plainRelay()
        let client = try await relay.connect()
        try await client.send(try FrameCodec.encode([0xFF, 0xFF, 0xFF, 0x01]))
        #expect(await client.waitForClose())
        await relay.stop()
    }

    @Test func otherMessageIsClosed() async throws {
        let relay = try await Self.plainRelay()
        let client = try await relay.connect()
        let message = Hbb_RendezvousMessage.with { $0.testNatRequest = .init() }
        try await client.send(try FrameCodec.encode(try message.serializedBytes()))
        #expect(await client.waitForClose())
        await relay.stop()
    }

    @Test func oversizedHeaderIsClosed() async throws {
        let relay = try await Self.plainRelay()
        let client = try await relay.connect()
        try await client.send([0xFF, 0xFF, 0xFF, 0x0F])
        #expect(await client.waitForClose())
        await relay.stop()
    }

    @Test func silentConnectionIsClosed() async throws {
        let relay = try await Self.plainRelay()
        let client = try await relay.connect()
        #expect(await relay.clock.advance(by: .seconds(31), until: { client.received.closed }))
        await relay.stop()
    }

    @Test func silentLoopbackConsoleIsClosed() async throws {
        let relay = try await TestRelay.start()
        let client = try await relay.connect()
        #expect(await relay.clock.advance(by: .seconds(31), until: { client.received.closed }))
        await relay.stop()
    }
}

@Suite struct RelayCloseReasonTests {
    @Test func refusalsAreCountedByReason() async throws {
        let relay = try await TestRelay.start { $0.licenceKey = "secret" }
        let wrongKey = try await relay.connect()
        try await wrongKey.send(try requestRelayFrame(uuid: "a", licenceKey: "other"))
        #expect(await wrongKey.waitForClose())
        let noUUID = try await relay.connect()
        try await noUUID.send(try requestRelayFrame(uuid: "", licenceKey: "secret"))
        #expect(await noUUID.waitForClose())
        let wrongMessage = try await relay.connect()
        try await wrongMessage.send(
            try FrameCodec.encode(try Hbb_RendezvousMessage.with { $0.testNatRequest = .init() }.serializedBytes()))
        #expect(await wrongMessage.waitForClose())
        #expect(relay.closed(.licenceMismatch) == 1)
        #expect(relay.closed(.badRequestRelay) == 2)
        await relay.stop()
    }

    @Test func plainHTTPOnTheWebSocketPortIsRefusedAndCounted() async throws {
        let relay = try await TestRelay.start()
        let port = try #require(relay.server.webSocketPort)
        let client = try await TestClient.connect(port: port, group: MultiThreadedEventLoopGroup.singleton)
        try await client.send(Array("GET /ws/relay HTTP/1.1\r\nHost: hbbr\r\n\r\n".utf8))
        #expect(await client.waitForClose())
        #expect(relay.closed(.failedUpgrade) == 1)
        await relay.stop()
    }
}
