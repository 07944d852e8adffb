import NIOCore
import Relay
import RelayCore
import RustDeskCore
import TestSupport
import Testing

/// TCP↔TCP pairs leave NIO for the direct relay thread once paired; pairs with a WebSocket side stay.
@Suite struct RelayDirectTests {
    @Test func tcpPairsMoveToTheDirectRelayAndLeaveItWhenTheyEnd() async throws {
        let relay = try await TestRelay.start()
        let (first, second) = try await relay.pair()
        #expect(await poll(timeout: .seconds(15)) { relay.server.directConnectionCount == 2 })
        try await first.send(Array("ping".utf8))
        #expect(await second.waitForBytes(4))
        try await second.send(Array("pong!".utf8))
        #expect(await first.waitForBytes(5))
        #expect(String(buffer: first.received.kept) == "pong!")
        await second.close()
        #expect(await first.waitForClose())
        #expect(await poll(timeout: .seconds(15)) { relay.server.directConnectionCount == 0 })
        #expect(await poll(timeout: .seconds(15)) { relay.controls.usage.snapshot.isEmpty })
        await relay.stop()
    }

    @Test func throughNIOWhenTurnedOff() async throws {
        let relay = try await TestRelay.start { $0.directTCPRelay = false }
        let (first, second) = try await relay.pair()
        try await first.send([1, 2, 3])
        #expect(await second.waitForBytes(3))
        #expect(relay.server.directConnectionCount == 0)
        #expect(relay.server.connectionCount == 2)
        await relay.stop()
    }

    @Test func aWebSocketHalfKeepsThePairInNIO() async throws {
        let relay = try await TestRelay.start()
        let (tcp, webSocket) = try await relay.mixedPair()
        try await webSocket.sendBinary([7, 8, 9])
        #expect(await tcp.waitForBytes(3 + 1))  // one frame: a 1-byte header, then the payload
        #expect(relay.server.directConnectionCount == 0)
        await relay.stop()
    }

    @Test func stoppingTheServerClosesDirectPairs() async throws {
        let relay = try await TestRelay.start()
        let (first, second) = try await relay.pair()
        #expect(await poll(timeout: .seconds(15)) { relay.server.directConnectionCount == 2 })
        await relay.stop()
        #expect(await first.waitForClose())
        #expect(await second.waitForClose())
        #expect(relay.server.directConnectionCount == 0)
    }

    /// Many pairs at once, each its own bytes both ways: nothing crosses between pairs.
    @Test func manyPairsKeepTheirBytesApart() async throws {
        let relay = try await TestRelay.start()
        var pairs: [(TestClient, TestClient)] = []
        for _ in 0..<20 { pairs.append(try await relay.pair()) }
        #expect(await poll(timeout: .seconds(15)) { relay.server.directConnectionCount == 40 })
        for (index, (first, second)) in pairs.enumerated() {
            try await first.send(Array("a\(index)".utf8))
            try await second.send(Array("b\(index)".utf8))
        }
        for (index, (first, second)) in pairs.enumerated() {
            let toSecond = "a\(index)"
            let toFirst = "b\(index)"
            #expect(await second.waitForBytes(toSecond.utf8.count))
            #expect(await first.waitForBytes(toFirst.utf8.count))
            #expect(String(buffer: second.received.kept) == toSecond)
            #expect(String(buffer: first.received.kept) == toFirst)
        }
        await relay.stop()
    }
}
