import Foundation
import NIOCore
import NIOPosix
import NIOWebSocket
import Relay
import RelayCore
import RustDeskCore
import TestSupport
import Testing

extension TestRelay {
    func connectWebSocket() async throws -> WebSocketTestClient {
        guard let port = server.webSocketPort else { throw TestTimeout(what: "WebSocket port") }
        return try await WebSocketTestClient(
            port: port, path: "/ws/relay", maxFrameSize: 64 << 20, receiveTimeout: .seconds(10))
    }

    /// A TCP half that parks first and a WebSocket half that pairs with it. `webSocketReads` false
    /// turns the WebSocket client's reading off before it pairs.
    func mixedPair(webSocketReads: Bool = true) async throws -> (TestClient, WebSocketTestClient) {
        let uuid = UUID().uuidString
        let tcp = try await connect()
        try await tcp.send(try requestRelayFrame(uuid: uuid))
        try await waitForParked()
        let webSocket = try await connectWebSocket()
        if !webSocketReads { try await webSocket.channel.setOption(.autoRead, value: false).get() }
        try await webSocket.requestRelay(uuid: uuid)
        try await waitForParked(0)
        return (tcp, webSocket)
    }

    /// Two WebSocket halves paired under a fresh uuid; the first is parked before the second arrives.
    func webSocketPair() async throws -> (WebSocketTestClient, WebSocketTestClient) {
        let uuid = UUID().uuidString
        let first = try await connectWebSocket()
        try await first.requestRelay(uuid: uuid)
        try await waitForParked()
        let second = try await connectWebSocket()
        try await second.requestRelay(uuid: uuid)
        try await waitForParked(0)
        return (first, second)
    }

    /// Waits until `count` halves are parked.
    func waitForParked(_ count: Int = 1) async throws {
        let server = server
        guard await poll(timeout: .seconds(15), { server.waitingCount == count }) else {
            throw TestTimeout(what: "parking")
        }
    }
}

/// The frame payloads in `buffer`, in order; a trailing partial frame is left out.
func framePayloads(_ buffer: ByteBuffer) throws -> [[UInt8]] {
    var bytes = Array(buffer: buffer)[...]
    var payloads: [[UInt8]] = []
    while case .frame(let header, let length) = try FrameCodec.parse(bytes) {
        let start = bytes.startIndex + header
        payloads.append(Array(bytes[start..<(start + length)]))
        bytes = bytes[(start + length)...]
    }
    return payloads
}

/// Sizes for the integrity test: mostly up to 16 KiB, every 100th a full 1 MiB, never empty. Kept
/// small in total: debug-build WebSocket masking is slow and other suites share the event loops.
func messageSize(_ index: Int) -> Int {
    index % 100 == 99 ? 1 << 20 : (index &* 7919) % 16384 + 1
}

@Suite struct RelayWebSocketTests {
    @Test func listensOnPortPlusTwo() async throws {
        let relay = try await TestRelay.start()
        #expect(relay.server.webSocketPort == relay.port + 2)
        await relay.stop()
    }

    @Test func webSocketPairRelaysMessagesIntactBothWays() async throws {
        let relay = try await TestRelay.start()
        let (first, second) = try await relay.webSocketPair()

        let count = 300
        let toSecond = TestPattern(seed: 11)
        let toFirst = TestPattern(seed: 12)
        @Sendable func send(_ client: WebSocketTestClient, _ pattern: TestPattern) async throws {
            var offset = 0
            for index in 0..<count {
                try await client.sendBinary(pattern.bytes(at: offset, count: messageSize(index)))
                offset += messageSize(index)
            }
        }
        @Sendable func receive(_ client: WebSocketTestClient, _ pattern: TestPattern) async throws -> Bool {
            var offset = 0
            for index in 0..<count {
                let message = try await client.receiveBinary()
                guard message.count == messageSize(index), pattern.matches(ByteBuffer(bytes: message), at: offset)
                else { return false }
                offset += message.count
            }
            return true
        }
        let (intactA, intactB) = try await withTimeout(.seconds(120), "WebSocket transfer") {
            async let sendA: Void = send(first, toSecond)
            async let sendB: Void = send(second, toFirst)
            async let receiveA = receive(second, toSecond)
            async let receiveB = receive(first, toFirst)
            try await sendA
            try await sendB
            return try await (receiveA, receiveB)
        }
        #expect(intactA)
        #expect(intactB)
        await first.close()
        #expect(await second.waitForClose())
        await relay.stop()
    }

    @Test(arguments: [true, false])
    func webSocketAndTCPConvertUnitByUnit(webSocketFirst: Bool) async throws {
        let relay = try await TestRelay.start()
        let uuid = UUID().uuidString
        var tcp: TestClient?
        var ws: WebSocketTestClient?
        if webSocketFirst {
            ws = try await relay.connectWebSocket()
            try await ws?.requestRelay(uuid: uuid)
        } else {
            tcp = try await relay.connect()
            try await tcp?.send(try requestRelayFrame(uuid: uuid))
        }
        try await relay.waitForParked()
        if webSocketFirst {
            tcp = try await relay.connect()
            try await tcp?.send(try requestRelayFrame(uuid: uuid))
        } else {
            ws = try await relay.connectWebSocket()
            try await ws?.requestRelay(uuid: uuid)
        }
        guard let tcp, let ws else { throw TestTimeout(what: "clients") }
        try await relay.waitForParked(0)

        // TCP → WS: each frame one message, the empty frame dropped, the split frame whole.
        let big = TestPattern(seed: 21).bytes(at: 0, count: 100_000)
        try await tcp.send(try FrameCodec.encode(Array("one".utf8)) + [0x00] + FrameCodec.encode(big))
        let split = try FrameCodec.encode(Array(repeating: 7, count: 300))
        try await tcp.send(Array(split[..<100]))
        try await tcp.send(Array(split[100...]))
        #expect(try await ws.receiveBinary() == Array("one".utf8))
        #expect(try await ws.receiveBinary() == big)
        #expect(try await ws.receiveBinary() == Array(repeating: 7, count: 300))

        // WS → TCP: each message one minimal frame; empty, text and ping messages are not forwarded.
        try await ws.sendBinary(Array("two".utf8))
        try await ws.sendBinary([])
        try await ws.sendFrame(.text, ByteBuffer(string: "not a unit"))
        try await ws.sendFrame(.ping, ByteBuffer(string: "p"))
        try await ws.sendBinary(Array(repeating: 9, count: 70_000))
        let expected = try FrameCodec.encode(Array("two".utf8)) + FrameCodec.encode(Array(repeating: 9, count: 70_000))
        #expect(await tcp.waitForBytes(expected.count))
        #expect(Array(buffer: tcp.received.kept) == expected)
        // The ping was answered, and nothing else came back on the WebSocket.
        let pong = try? await ws.receiveFrame()
        #expect(pong?.opcode == .pong)

        await tcp.close()
        #expect(await ws.waitForClose())
        await relay.stop()
    }

    @Test func unitsBehindTheFirstOneAreForwardedFirst() async throws {
        let relay = try await TestRelay.start()
        let uuid = UUID().uuidString
        let tcp = try await relay.connect()
        // The RequestRelay, a whole frame and half of another, in one write.
        let tail = try FrameCodec.encode(Array("tail-frame".utf8))
        try await tcp.send(
            try requestRelayFrame(uuid: uuid) + FrameCodec.encode(Array("early-tcp".utf8)) + Array(tail[..<4]))
        try await relay.waitForParked()
        let ws = try await relay.connectWebSocket()
        let message = requestRelayMessage(uuid: uuid)
        ws.queueFrame(.binary, message)
        ws.queueFrame(.binary, ByteBuffer(string: "early-ws"))
        try await ws.sendFrame(.binary, ByteBuffer(string: "later-ws"))
        #expect(try await ws.receiveBinary() == Array("early-tcp".utf8))
        try await tcp.send(Array(tail[4...]))
        #expect(try await ws.receiveBinary() == Array("tail-frame".utf8))
        let expected = try FrameCodec.encode(Array("early-ws".utf8)) + FrameCodec.encode(Array("later-ws".utf8))
        #expect(await tcp.waitForBytes(expected.count))
        #expect(try framePayloads(tcp.received.kept) == [Array("early-ws".utf8), Array("later-ws".utf8)])
        await relay.stop()
    }

    @Test func parkedWebSocketKeepsMessagesBehindTheFirst() async throws {
        let relay = try await TestRelay.start()
        let uuid = UUID().uuidString
        let first = try await relay.connectWebSocket()
        first.queueFrame(.binary, requestRelayMessage(uuid: uuid))
        try await first.sendFrame(.binary, ByteBuffer(string: "queued"))
        try await relay.waitForParked()
        let second = try await relay.connectWebSocket()
        try await second.requestRelay(uuid: uuid)
        #expect(try await second.receiveBinary() == Array("queued".utf8))
        await relay.stop()
    }

    /// Both orders on one event loop, as the hbbr executable runs: the half that arrived first forwards
    /// what it holds at once, and the framed TCP half must already have its encoder.
    @Test(arguments: [true, false])
    func unitsHeldByEitherHalfAreFramedOnOneEventLoop(webSocketFirst: Bool) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let relay = try await TestRelay.start(group: group)
        let uuid = UUID().uuidString
        let ws: WebSocketTestClient
        let tcp: TestClient
        if webSocketFirst {
            ws = try await relay.connectWebSocket()
            ws.queueFrame(.binary, requestRelayMessage(uuid: uuid))
            try await ws.sendFrame(.binary, ByteBuffer(string: "held-ws"))
            try await relay.waitForParked()
            tcp = try await relay.connect()
            try await tcp.send(try requestRelayFrame(uuid: uuid) + FrameCodec.encode(Array("held-tcp".utf8)))
        } else {
            tcp = try await relay.connect()
            try await tcp.send(try requestRelayFrame(uuid: uuid) + FrameCodec.encode(Array("held-tcp".utf8)))
            try await relay.waitForParked()
            ws = try await relay.connectWebSocket()
            ws.queueFrame(.binary, requestRelayMessage(uuid: uuid))
            try await ws.sendFrame(.binary, ByteBuffer(string: "held-ws"))
        }
        #expect(try await ws.receiveBinary() == Array("held-tcp".utf8))
        let expected = try FrameCodec.encode(Array("held-ws".utf8))
        #expect(await tcp.waitForBytes(expected.count))
        #expect(Array(buffer: tcp.received.kept) == expected)
        await relay.stop()
        await tcp.close()
        await ws.close()
        try await group.shutdownGracefully()
    }

    @Test func licenceKeyRefusedOverWebSocket() async throws {
        let relay = try await TestRelay.start { $0.licenceKey = "secret" }
        let wrong = try await relay.connectWebSocket()
        try await wrong.requestRelay(uuid: "a", licenceKey: "other")
        #expect(await wrong.waitForClose())
        let missing = try await relay.connectWebSocket()
        try await missing.requestRelay(uuid: "b")
        #expect(await missing.waitForClose())
        #expect(relay.server.waitingCount == 0)
        let right = try await relay.connectWebSocket()
        try await right.requestRelay(uuid: "c", licenceKey: "secret")
        try await relay.waitForParked()
        await relay.stop()
    }

    /// A first message that is not binary is an empty unit, not a RequestRelay (hbbr.md §5).
    @Test func textFirstMessageCloses() async throws {
        let relay = try await TestRelay.start()
        let client = try await relay.connectWebSocket()
        try await client.sendFrame(.text, ByteBuffer(string: "hello"))
        #expect(await client.waitForClose())
        #expect(relay.server.waitingCount == 0)
        await relay.stop()
    }

    @Test func textMessagesAreNotForwarded() async throws {
        let relay = try await TestRelay.start()
        let (first, second) = try await relay.webSocketPair()
        try await first.sendFrame(.text, ByteBuffer(string: "ignored"))
        try await first.sendBinary([1, 2, 3])
        #expect(try await second.receiveBinary() == [1, 2, 3])
        await relay.stop()
    }

    @Test func oversizedWebSocketMessageClosesThePair() async throws {
        let relay = try await TestRelay.start {
            $0.maximumWebSocketFrame = 64 * 1024
            $0.maximumWebSocketMessage = 128 * 1024
        }
        let (tcp, ws) = try await relay.mixedPair()
        try await ws.sendBinary(Array(repeating: 1, count: 64 * 1024))
        #expect(await tcp.waitForBytes(64 * 1024))
        // Two fragments of 64 KiB and one more byte: over the message limit.
        let fragment = ByteBuffer(bytes: Array(repeating: 2, count: 64 * 1024))
        try await ws.sendFrame(.binary, fragment, fin: false)
        try await ws.sendFrame(.continuation, fragment, fin: false)
        try await ws.sendFrame(.continuation, ByteBuffer(bytes: [3]))
        #expect(await tcp.waitForClose())
        #expect(await ws.waitForClose())
        await relay.stop()
    }

    @Test func oversizedWebSocketFrameClosesThePair() async throws {
        let relay = try await TestRelay.start { $0.maximumWebSocketFrame = 64 * 1024 }
        let (tcp, ws) = try await relay.mixedPair()
        try await ws.sendBinary(Array(repeating: 1, count: 64 * 1024 + 1))
        #expect(await tcp.waitForClose())
        #expect(await ws.waitForClose())
        await relay.stop()
    }

    @Test func oversizedFrameFromTheTCPSideClosesThePair() async throws {
        let relay = try await TestRelay.start { $0.maximumFramePayload = 64 * 1024 }
        let (tcp, ws) = try await relay.mixedPair()
        // A header announcing 1 MiB is refused before the payload arrives.
        try await tcp.send(Array(try FrameCodec.header(forPayloadLength: 1 << 20)))
        #expect(await tcp.waitForClose())
        #expect(await ws.waitForClose())
        await relay.stop()
    }

    @Test func silentWebSocketClosesAfterTheFirstUnitTimeout() async throws {
        let relay = try await TestRelay.start()
        let client = try await relay.connectWebSocket()
        #expect(await relay.clock.advance(by: .seconds(31), until: { client.isClosed }))
        await relay.stop()
    }

    @Test func connectionWithoutUpgradeClosesAfterTheHandshakeTimeout() async throws {
        let relay = try await TestRelay.start()
        guard let port = relay.server.webSocketPort else { throw TestTimeout(what: "WebSocket port") }
        let client = try await TestClient.connect(port: port, group: MultiThreadedEventLoopGroup.singleton)
        try await client.send(Array("GET / HTTP/1.1\r\n".utf8))
        #expect(await relay.clock.advance(by: .seconds(31), until: { client.received.closed }))
        await relay.stop()
    }

    @Test func idleWebSocketPairCloses() async throws {
        let relay = try await TestRelay.start()
        let uuid = UUID().uuidString
        let first = try await relay.connectWebSocket()
        try await first.requestRelay(uuid: uuid)
        try await relay.waitForParked()
        let second = try await relay.connectWebSocket()
        try await second.requestRelay(uuid: uuid)
        #expect(await poll(timeout: .seconds(15)) { relay.server.waitingCount == 0 })
        #expect(await relay.clock.advance(by: .seconds(5), until: { first.isClosed }))
        #expect(await second.waitForClose())
        await relay.stop()
    }

    @Test func blockedAddressIsClosedAtAccept() async throws {
        let relay = try await TestRelay.start(blocklist: ["127.0.0.1"])
        guard let port = relay.server.webSocketPort else { throw TestTimeout(what: "WebSocket port") }
        let client = try await TestClient.connect(port: port, group: MultiThreadedEventLoopGroup.singleton)
        #expect(await client.waitForClose())
        await relay.stop()
    }
}

/// A RequestRelay as a WebSocket payload: the frame's bare payload.
func requestRelayMessage(uuid: String) -> ByteBuffer {
    let bytes = (try? requestRelayFrame(uuid: uuid)) ?? []
    guard case .frame(let header, _) = try? FrameCodec.parse(bytes) else { return ByteBuffer() }
    return ByteBuffer(bytes: bytes[header...])
}
