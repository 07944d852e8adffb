import Foundation
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import SwiftProtobuf
import TestSupport
import Testing

@testable import Rendezvous

/// Secure TCP on hbbs PORT (wire.md §4) end to end: the signed KeyExchange first, the encrypted
/// session, the plaintext fallback, where it is never offered, and what closes a connection.
@Suite struct SecureTCPFlowTests {
    let key = TestHbbs.signingKey.publicKeyString
    let serverPublicKey = TestHbbs.signingKey.publicKey

    private func failures(_ hbbs: TestHbbs) -> Int { hbbs.count("hbbs_secure_handshakes_total", ["result": "failed"]) }

    @Test func securedPunchHoleRequestGetsItsResponseEncrypted() async throws {
        let hbbs = try await TestHbbs { $0.relayServers = ["relay.example.com:21117"] }
        let peer = try await RegisteredTestPeer.register(with: hbbs, host: "127.0.0.2")
        let requester = try await SecureTCPTestClient(port: hbbs.port)
        try await requester.handshake(serverPublicKey: serverPublicKey)
        try await requester.send(Messages.punchHoleRequest(peer.id, licenceKey: key, nat: .asymmetric))
        let punch = try await peer.udp.receive().punchHole
        #expect(AddrMangle.decode(punch.socketAddr) == requester.localAddress)

        // The peer's short connection never reads: it ignores the KeyExchange and speaks plaintext.
        let peerTCP = try await TCPTestClient(port: hbbs.port, from: "127.0.0.2")
        let peerTCPAddress = try #require(peerTCP.localAddress)
        try await peerTCP.send(Messages.punchHoleSent(answering: punch, id: peer.id, nat: .asymmetric))
        let response = try await requester.receive().punchHoleResponse
        #expect(AddrMangle.decode(response.socketAddr) == peerTCPAddress)
        #expect(response.relayServer == "relay.example.com:21117")
        // A retry on the same connection uses the next sequence numbers.
        try await requester.send(Messages.punchHoleRequest(Messages.newID(), licenceKey: key))
        #expect(try await requester.receive().punchHoleResponse.failure == .idNotExist)
        #expect(hbbs.count("hbbs_secure_handshakes_total", ["result": "secured"]) == 1)
        #expect(failures(hbbs) == 0)
        await requester.close()
        await peerTCP.close()
        await hbbs.stop()
    }

    @Test func securedTestNatRequest() async throws {
        let hbbs = try await TestHbbs()
        let client = try await SecureTCPTestClient(port: hbbs.port)
        let address = try #require(client.localAddress)
        try await client.handshake(serverPublicKey: serverPublicKey)
        try await client.send(.with { $0.testNatRequest = .init() })
        let response = try await client.receive().testNatResponse
        #expect(response.port == Int32(address.port))
        #expect(await client.waitForClose())
        await hbbs.stop()
    }

    @Test func sealedUnitsAreNotPlaintextOnTheWire() async throws {
        let hbbs = try await TestHbbs()
        let client = try await SecureTCPTestClient(port: hbbs.port)
        try await client.handshake(serverPublicKey: serverPublicKey)
        let message = Hbb_RendezvousMessage.with { $0.testNatRequest = .init() }
        try await client.send(message)
        let plain: [UInt8] = try message.serializedBytes()
        #expect(client.sentPayloads.last?.count == plain.count + 16)
        #expect(client.sentPayloads.last != plain)
        _ = try await client.receive()
        await hbbs.stop()
    }

    @Test func plaintextFirstUnitIsStillServed() async throws {
        let hbbs = try await TestHbbs()
        let client = try await TCPTestClient(port: hbbs.port)
        let first = try #require(await client.receiveRaw())
        #expect(try Hbb_RendezvousMessage(buffer: first).keyExchange.keys.first?.count == 96)
        try await client.send(Messages.punchHoleRequest(Messages.newID(), licenceKey: key))
        #expect(try await client.receive().punchHoleResponse.failure == .idNotExist)
        #expect(hbbs.count("hbbs_secure_handshakes_total", ["result": "secured"]) == 0)
        await client.close()
        await hbbs.stop()
    }

    @Test(arguments: ["off", "no key"])
    func keyExchangeIsNotSentWithoutSecureTCP(_ reason: String) async throws {
        let hbbs = try await TestHbbs {
            if reason == "off" { $0.secureTCP = false } else { $0.signingSecretKey = nil }
        }
        let client = try await TCPTestClient(port: hbbs.port)
        // A KeyExchange would be written at accept, before any reply: the first unit tells, no waiting.
        try await client.send(.with { $0.testNatRequest = .init() })
        let first = try #require(await client.receiveRaw())
        #expect(try Hbb_RendezvousMessage(buffer: first).testNatResponse.port != 0)
        await hbbs.stop()
    }

    @Test func keyExchangeIsNeverSentOnTheNATPort() async throws {
        let hbbs = try await TestHbbs()
        let client = try await TCPTestClient(port: hbbs.natPort)
        try await client.send(.with { $0.testNatRequest = .init() })
        let first = try #require(await client.receiveRaw())
        #expect(try Hbb_RendezvousMessage(buffer: first).testNatResponse.port != 0)
        await hbbs.stop()
    }

    @Test func keyExchangeIsNeverSentOnWebSocket() async throws {
        let hbbs = try await TestHbbs()
        let client = try await hbbs.connectWebSocket()
        try await client.send(.with { $0.testNatRequest = .init() })
        #expect(try await client.receive().testNatResponse.port != 0)
        await client.close()
        await hbbs.stop()
    }

    @Test func macFailureCloses() async throws {
        let hbbs = try await TestHbbs()
        let client = try await SecureTCPTestClient(port: hbbs.port)
        try await client.handshake(serverPublicKey: serverPublicKey)
        // Sixteen bytes of zeros in place of a sealed unit.
        try await client.sendPayload([UInt8](repeating: 0, count: 20))
        #expect(await client.waitForClose())
        #expect(failures(hbbs) == 1)
        await hbbs.stop()
    }

    @Test func replayedSealedUnitCloses() async throws {
        let hbbs = try await TestHbbs()
        let client = try await SecureTCPTestClient(port: hbbs.port)
        try await client.handshake(serverPublicKey: serverPublicKey)
        try await client.send(Messages.punchHoleRequest(Messages.newID(), licenceKey: key))
        #expect(try await client.receive().punchHoleResponse.failure == .idNotExist)
        let sealed = try #require(client.sentPayloads.last)
        try await client.sendPayload(sealed)
        #expect(await client.waitForClose())
        #expect(failures(hbbs) == 1)
        await hbbs.stop()
    }

    @Test func badSessionKeyCloses() async throws {
        let hbbs = try await TestHbbs()
        let client = try await SecureTCPTestClient(port: hbbs.port)
        try await client.handshake(serverPublicKey: serverPublicKey) { keys in
            keys.enumerated().map { index, key in index == 1 ? key.map { $0 ^ 1 } : key }
        }
        #expect(await client.waitForClose())
        #expect(failures(hbbs) == 1)
        await hbbs.stop()
    }

    @Test(arguments: [[UInt8]([0xFF, 0xFF, 0xFF, 0xFF]), [0x0A, 0x05, 0x01]])
    func garbageInsteadOfTheReplyCloses(_ garbage: [UInt8]) async throws {
        let hbbs = try await TestHbbs()
        let client = try await SecureTCPTestClient(port: hbbs.port)
        _ = try await client.receive()  // the KeyExchange, unanswered
        try await client.sendPayload(garbage)
        #expect(await client.waitForClose())
        #expect(failures(hbbs) == 1)
        await hbbs.stop()
    }

    @Test func oneKeyExchangeReplyCloses() async throws {
        let hbbs = try await TestHbbs()
        let client = try await SecureTCPTestClient(port: hbbs.port)
        try await client.handshake(serverPublicKey: serverPublicKey) { keys in Array(keys.prefix(1)) }
        #expect(await client.waitForClose())
        #expect(failures(hbbs) == 1)
        await hbbs.stop()
    }

    @Test func emptyHeartbeatPassesUnencrypted() async throws {
        let hbbs = try await TestHbbs()
        let client = try await SecureTCPTestClient(port: hbbs.port)
        try await client.handshake(serverPublicKey: serverPublicKey)
        // The empty unit reaches the message handler as an empty unit (which hbbs answers by closing,
        // hbbs.md §7.2), not as a MAC failure.
        try await client.sendPayload([])
        #expect(await client.waitForClose())
        #expect(failures(hbbs) == 0)
        #expect(hbbs.count("hbbs_connections_closed_total", ["reason": "malformed-unit"]) == 1)
        await hbbs.stop()
    }
}
