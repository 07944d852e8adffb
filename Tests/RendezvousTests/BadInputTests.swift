import NIOCore
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import TestSupport
import Testing

@testable import Rendezvous

@Suite struct BadInputTests {
    @Test func malformedDatagramsAreDroppedAndCounted() async throws {
        let hbbs = try await TestHbbs()
        let udp = try await UDPTestPeer()
        var generator = SystemRandomNumberGenerator()
        for index in 0..<200 {
            // A field-6 length prefix that overruns the datagram never parses.
            var garbage: [UInt8] = [0x32, 0x7F]
            garbage += (0..<(index % 40)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try await udp.sendRaw(ByteBuffer(bytes: garbage), to: hbbs.port)
        }
        try await udp.send(Messages.registerPeer(Messages.newID()), to: hbbs.port)
        #expect(try await udp.receive().registerPeerResponse.requestPk == true)
        #expect(hbbs.count("hbbs_datagrams_dropped_total", ["reason": "malformed"]) == 200)
        await udp.close()
        await hbbs.stop()
    }

    @Test func unservedDatagramKindsGetNoReply() async throws {
        let hbbs = try await TestHbbs()
        let udp = try await UDPTestPeer()
        let ignored: [Hbb_RendezvousMessage] = [
            Messages.punchHoleRequest("123456789", licenceKey: ""),
            .with { $0.punchHoleSent = .with { $0.id = "x" } },
            .with { $0.localAddr = .with { $0.id = "x" } },
            .with { $0.testNatRequest = .init() },
            .with { $0.onlineRequest = .with { $0.peers = ["a"] } },
            .with { $0.requestRelay = .with { $0.id = "x" } },
            Hbb_RendezvousMessage(),
        ]
        for message in ignored { try await udp.send(message, to: hbbs.port) }
        try await udp.send(Messages.registerPeer(Messages.newID()), to: hbbs.port)
        #expect(try await udp.receive().registerPeerResponse.requestPk == true)
        await udp.close()
        await hbbs.stop()
    }

    @Test func garbageFrameClosesOnlyThatConnection() async throws {
        let hbbs = try await TestHbbs()
        let bystander = try await TCPTestClient(port: hbbs.port)
        let attacker = try await TCPTestClient(port: hbbs.port, framed: false)
        try await attacker.sendRaw([0x10, 0xFF, 0xFF, 0xFF, 0xFF])  // a 4-byte payload that is not protobuf
        #expect(await attacker.waitForClose())
        try await bystander.send(.with { $0.testNatRequest = .init() })
        #expect(try await bystander.receive().testNatResponse.port != 0)
        await hbbs.stop()
    }

    @Test func emptyFrameCloses() async throws {
        let hbbs = try await TestHbbs()
        let client = try await TCPTestClient(port: hbbs.port, framed: false)
        try await client.sendRaw([0x00])
        #expect(await client.waitForClose())
        await hbbs.stop()
    }

    @Test func oversizedHeaderClosesBeforeThePayload() async throws {
        let hbbs = try await TestHbbs { $0.maximumFramePayload = 4096 }
        let client = try await TCPTestClient(port: hbbs.port, framed: false)
        try await client.sendRaw(try FrameCodec.header(forPayloadLength: 1 << 29))
        #expect(await client.waitForClose())
        #expect(hbbs.count("hbbs_connections_closed_total", ["reason": "oversized"]) == 1)
        await hbbs.stop()
    }

    @Test func idleConnectionsAreClosedAndDoNotSlowRegistration() async throws {
        let hbbs = try await TestHbbs()
        var idle: [TCPTestClient] = []
        for _ in 0..<1_000 {
            idle.append(try await TCPTestClient(port: hbbs.port))
        }
        let udp = try await UDPTestPeer()
        for _ in 0..<50 {
            try await udp.send(Messages.registerPeer(Messages.newID()), to: hbbs.port)
            #expect(try await udp.receive(timeout: .seconds(2)).registerPeerResponse.requestPk == true)
        }
        // Every connection's idle timer is set once the server has accepted it; then 30 s pass at once.
        #expect(await hbbs.clock.waitForTimers(idle.count))
        await hbbs.clock.advance(seconds: 31)
        for client in idle { #expect(await client.waitForClose(timeout: .seconds(30))) }
        #expect(hbbs.count("hbbs_connections_closed_total", ["reason": "timeout"]) >= 1_000)
        await udp.close()
        await hbbs.stop()
    }

    @Test func slowPartialFrameIsClosedByTheIdleTimeout() async throws {
        let hbbs = try await TestHbbs()
        let client = try await TCPTestClient(port: hbbs.port, framed: false)
        // Announces 10 bytes, sends one; the rest never comes. Time moves on until the idle limit
        // closes it, however late the byte was read.
        try await client.sendRaw([0x28, 0xA2])
        #expect(await hbbs.clock.advance(by: .seconds(31), until: { client.isClosed }))
        await hbbs.stop()
    }
}

@Suite struct CountedCloseReasonTests {
    @Test func plainHTTPOnTheWebSocketPortIsRefusedAndCounted() async throws {
        let hbbs = try await TestHbbs()
        let client = try await TCPTestClient(port: hbbs.port + 2, framed: false)
        try await client.sendRaw(Array("GET / HTTP/1.1\r\nHost: hbbs\r\n\r\n".utf8))
        let response = await client.receiveRaw().map { String(buffer: $0) } ?? ""
        #expect(response.hasPrefix("HTTP/1.1 400"))
        #expect(await client.waitForClose())
        #expect(hbbs.count("hbbs_connections_closed_total", ["reason": CloseReason.failedUpgrade.rawValue]) == 1)
        await hbbs.stop()
    }

    @Test func brokenHandshakeIsCounted() async throws {
        let hbbs = try await TestHbbs()
        let client = try await TCPTestClient(port: hbbs.port + 2, framed: false)
        try await client.sendRaw(Array("\u{1}\u{2}garbage\r\n\r\n".utf8))
        #expect(await client.waitForClose())
        #expect(hbbs.count("hbbs_connections_closed_total", ["reason": CloseReason.failedUpgrade.rawValue]) == 1)
        await hbbs.stop()
    }

    @Test func oversizedWebSocketMessageClosesAndIsCounted() async throws {
        let hbbs = try await TestHbbs { $0.maximumFramePayload = 1024 }
        let bystander = try await hbbs.connectWebSocket()
        let client = try await hbbs.connectWebSocket()
        try? await client.sendFrame(.binary, ByteBuffer(repeating: 7, count: 4096))
        let closed = await poll(timeout: .seconds(15)) { !client.channel.isActive }
        #expect(closed)
        #expect(hbbs.count("hbbs_connections_closed_total", ["reason": CloseReason.oversized.rawValue]) == 1)
        // Only that connection: the other one is still served.
        try await bystander.send(.with { $0.testNatRequest = .init() })
        #expect(try await bystander.receive().testNatResponse.port != 0)
        await hbbs.stop()
    }

    @Test func malformedTCPUnitsAreCounted() async throws {
        let hbbs = try await TestHbbs()
        let client = try await TCPTestClient(port: hbbs.port, framed: false)
        try await client.sendRaw([0x10, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(await client.waitForClose())
        #expect(hbbs.count("hbbs_connections_closed_total", ["reason": CloseReason.malformedUnit.rawValue]) == 1)
        await hbbs.stop()
    }
}
