import NIOCore
import NIOWebSocket
import RendezvousProtocol
import RustDeskCore
import Testing

@testable import Rendezvous

@Suite struct WebSocketFlowTests {
    @Test func natTestOverWebSocket() async throws {
        let hbbs = try await TestHbbs()
        let client = try await WebSocketTestClient(port: hbbs.port + 2)
        let localPort = try #require(client.localAddress?.port)
        try await client.send(.with { $0.testNatRequest = .init() })
        #expect(try await client.receive().testNatResponse.port == Int32(localPort))
        await hbbs.stop()
    }

    @Test func webSocketRequesterIsNeverSameIntranet() async throws {
        let hbbs = try await TestHbbs()
        let peer = try await RegisteredTestPeer.register(with: hbbs, host: "127.0.0.70")
        let client = try await WebSocketTestClient(port: hbbs.port + 2, from: "127.0.0.70")
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
        let client = try await WebSocketTestClient(port: hbbs.port + 2)
        try await client.sendFrame(.ping, ByteBuffer(bytes: [1, 2, 3]))
        let pong = try await client.receiveFrame()
        #expect(pong.opcode == .pong && Array(pong.unmaskedData.readableBytesView) == [1, 2, 3])
        try await client.sendFrame(.text, ByteBuffer(string: "hello"))
        try await client.send(.with { $0.testNatRequest = .init() })
        #expect(try await client.receive().testNatResponse.port != 0)
        await hbbs.stop()
    }
}
