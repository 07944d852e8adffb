import NIOCore
import NIOWebSocket
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import TestSupport
import Testing

@testable import Rendezvous

@Suite struct WebSocketFlowTests {
    @Test func natTestOverWebSocket() async throws {
        let hbbs = try await TestHbbs()
        let client = try await hbbs.connectWebSocket()
        let localPort = try #require(client.localAddress?.port)
        try await client.send(.with { $0.testNatRequest = .init() })
        #expect(try await client.receive().testNatResponse.port == Int32(localPort))
        await hbbs.stop()
    }

    @Test func webSocketRequesterIsNeverSameIntranet() async throws {
        let hbbs = try await TestHbbs()
        let peer = try await RegisteredTestPeer.register(with: hbbs, host: "127.0.0.70")
        let client = try await hbbs.connectWebSocket(from: "127.0.0.70")
        try await client.send(Messages.punchHoleRequest(peer.id, licenceKey: TestHbbs.signingKey.publicKeyString))
        let punch = try await peer.udp.receive().punchHole
        #expect(AddrMangle.decode(punch.socketAddr) == client.localAddress)
        // The controlled peer answers over TCP; the web client gets it as a binary message.
        let peerTCP = try await TCPTestClient(port: hbbs.port, from: "127.0.0.70")
        try await peerTCP.send(
            .with {
                $0.relayResponse = .with {
                    $0.socketAddr = punch.socketAddr; $0.uuid = "u1"; $0.version = "1.4.9"
                }
            })
        #expect(try await client.receive().relayResponse.uuid == "u1")
        await client.close()
        await hbbs.stop()
    }

    @Test func pingIsAnsweredAndTextIsIgnored() async throws {
        let hbbs = try await TestHbbs()
        let client = try await hbbs.connectWebSocket()
        try await client.sendFrame(.ping, ByteBuffer(bytes: [1, 2, 3]))
        let pong = try await client.receiveFrame()
        #expect(pong.opcode == .pong && Array(pong.unmaskedData.readableBytesView) == [1, 2, 3])
        try await client.sendFrame(.text, ByteBuffer(string: "hello"))
        try await client.send(.with { $0.testNatRequest = .init() })
        #expect(try await client.receive().testNatResponse.port != 0)
        await hbbs.stop()
    }
}

@Suite struct TrustedProxyFlowTests {
    /// A reverse proxy on the server's own host (loopback is always trusted) names the web client.
    @Test func loopbackProxyNamesTheClient() async throws {
        let hbbs = try await TestHbbs()
        let peer = try await RegisteredTestPeer.register(with: hbbs, host: "127.0.0.120")
        let proxied = try await hbbs.connectWebSocket(
            from: "127.0.0.1", headers: [("X-Forwarded-For", "198.51.100.1, 203.0.113.77")])
        let proxyPort = try #require(proxied.localAddress?.port)
        try await proxied.send(Messages.punchHoleRequest(peer.id, licenceKey: TestHbbs.signingKey.publicKeyString))
        let punch = try await peer.udp.receive().punchHole
        // The address the proxy appended, keyed with the proxy connection's port so that web clients
        // behind one IP never share a requester entry.
        #expect(
            AddrMangle.decode(punch.socketAddr) == SocketAddr(ip: IPAddress(v4Octets: 203, 0, 113, 77), port: proxyPort)
        )
        let entry = hbbs.services.tables.punchRequests.page(start: 0, size: 10).last
        #expect(entry?.fromIP == "203.0.113.77")
        // The controlled peer's answer reaches the proxied requester.
        let answer = try await TCPTestClient(port: hbbs.port, from: "127.0.0.120")
        try await answer.send(
            .with {
                $0.relayResponse = .with {
                    $0.socketAddr = punch.socketAddr; $0.uuid = "via-proxy"; $0.version = "1"
                }
            })
        #expect(try await proxied.receive().relayResponse.uuid == "via-proxy")
        await proxied.close()
        await hbbs.stop()
    }

    @Test func xRealIPWinsAndGarbageIsIgnored() async throws {
        let hbbs = try await TestHbbs()
        let peer = try await RegisteredTestPeer.register(with: hbbs, host: "127.0.0.121")
        let garbage = try await hbbs.connectWebSocket(from: "127.0.0.122", headers: [("X-Real-IP", "not-an-ip")])
        try await garbage.send(Messages.punchHoleRequest(peer.id, licenceKey: TestHbbs.signingKey.publicKeyString))
        #expect(AddrMangle.decode(try await peer.udp.receive().punchHole.socketAddr) == garbage.localAddress)
        let named = try await hbbs.connectWebSocket(
            from: "127.0.0.123",
            headers: [("X-Real-IP", "2001:db8::9"), ("X-Forwarded-For", "203.0.113.1")])
        try await named.send(Messages.punchHoleRequest(peer.id, licenceKey: TestHbbs.signingKey.publicKeyString))
        #expect(try await AddrMangle.decode(peer.udp.receive().punchHole.socketAddr).ip == IPAddress("2001:db8::9"))
        await hbbs.stop()
    }
}

@Suite struct WebSocketKeepAliveTests {
    /// rustdesk-server#704: a WebSocket the client keeps alive must not be closed by the idle timer.
    @Test func pingsKeepTheConnectionOpenPastTheIdleTimeout() async throws {
        let hbbs = try await TestHbbs()  // 30 s idle limit
        let client = try await hbbs.connectWebSocket()
        // A ping every 20 s for 100 s: each pong proves the ping was read before time moves on, and the
        // idle timer fires in between (at 40, 60, …) only to find a recent read.
        for _ in 0..<5 {
            await hbbs.clock.advance(seconds: 20)
            try await client.sendFrame(.ping, ByteBuffer(bytes: [9]))
            #expect(try await client.receiveFrame().opcode == .pong)
        }
        try await client.send(.with { $0.testNatRequest = .init() })
        #expect(try await client.receive().testNatResponse.port != 0)
        // Without pings the same connection is closed.
        #expect(await hbbs.clock.advance(by: .seconds(31), until: { client.isClosed }))
        await hbbs.stop()
    }
}
