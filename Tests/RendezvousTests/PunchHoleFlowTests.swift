import Foundation
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import SwiftProtobuf
import TestSupport
import Testing

@testable import Rendezvous

/// The flows of spec/hbbs.md §14 end to end: requester C over TCP, peer P over UDP then TCP.
@Suite struct PunchHoleFlowTests {
    let key = TestHbbs.signingKey.publicKeyString

    /// The signed IdPk blob must open with the server key and name the peer and its key (wire.md §5).
    func expectSignedIdPk(_ blob: Data, id: String, pk: [UInt8]) throws {
        let payload = try Sodium.open(signed: [UInt8](blob), publicKey: TestHbbs.signingKey.publicKey)
        let idPk = try Hbb_IdPk(serializedBytes: payload)
        #expect(idPk.id == id)
        #expect(idPk.pk == Data(pk))
    }

    @Test func punchHoleDirect() async throws {
        let hbbs = try await TestHbbs { $0.relayServers = ["relay.example.com:21117"] }
        let peer = try await RegisteredTestPeer.register(with: hbbs, host: "127.0.0.2")
        let requester = try await TCPTestClient(port: hbbs.port, from: "127.0.0.3")
        try await requester.send(Messages.punchHoleRequest(peer.id, licenceKey: key, nat: .asymmetric))

        let punch = try await peer.udp.receive().punchHole
        let requesterAddress = try #require(requester.localAddress)
        #expect(AddrMangle.decode(punch.socketAddr) == requesterAddress)
        #expect(punch.relayServer == "relay.example.com:21117")
        #expect(punch.natType == .asymmetric)

        let peerTCP = try await TCPTestClient(port: hbbs.port, from: "127.0.0.2")
        let peerTCPAddress = try #require(peerTCP.localAddress)
        try await peerTCP.send(
            Messages.punchHoleSent(answering: punch, id: peer.id, nat: .asymmetric, version: "1.4.9"))
        let response = try await requester.receive().punchHoleResponse
        #expect(AddrMangle.decode(response.socketAddr) == peerTCPAddress)
        #expect(response.relayServer == "relay.example.com:21117")
        #expect(response.natType == .asymmetric)
        try expectSignedIdPk(response.pk, id: peer.id, pk: peer.pk)
        #expect(await peerTCP.waitForClose())
        await requester.close()
        await hbbs.stop()
    }

    @Test func punchHoleSameIntranetFetchesLocalAddress() async throws {
        let hbbs = try await TestHbbs()
        let peer = try await RegisteredTestPeer.register(with: hbbs, host: "127.0.0.4")
        let requester = try await TCPTestClient(port: hbbs.port, from: "127.0.0.4")
        try await requester.send(Messages.punchHoleRequest(peer.id, licenceKey: key))
        let fetch = try await peer.udp.receive().fetchLocalAddr
        #expect(AddrMangle.decode(fetch.socketAddr) == requester.localAddress)

        let lanAddress = Data(AddrMangle.encode(SocketAddr(ip: IPAddress(v4Octets: 192, 168, 1, 20), port: 40_000)))
        let peerTCP = try await TCPTestClient(port: hbbs.port, from: "127.0.0.4")
        try await peerTCP.send(
            .with {
                $0.localAddr = .with {
                    $0.socketAddr = fetch.socketAddr
                    $0.localAddr = lanAddress
                    $0.id = peer.id
                    $0.version = "1.4.9"
                }
            })
        let response = try await requester.receive().punchHoleResponse
        #expect(response.socketAddr == lanAddress)
        #expect(response.isLocal)
        try expectSignedIdPk(response.pk, id: peer.id, pk: peer.pk)
        await requester.close()
        await hbbs.stop()
    }

    @Test func relayRequestedByRequester() async throws {
        let hbbs = try await TestHbbs()
        let peer = try await RegisteredTestPeer.register(with: hbbs, host: "127.0.0.6")
        let requester = try await TCPTestClient(port: hbbs.port, from: "127.0.0.7")
        let uuid = Messages.newUUID()
        try await requester.send(
            .with {
                $0.requestRelay = .with {
                    $0.id = peer.id
                    $0.uuid = uuid
                    $0.relayServer = "relay.example.com"
                    $0.secure = true
                }
            })
        let forwarded = try await peer.udp.receive().requestRelay
        #expect(forwarded.uuid == uuid && forwarded.relayServer == "relay.example.com" && forwarded.secure)
        #expect(AddrMangle.decode(forwarded.socketAddr) == requester.localAddress)

        let peerTCP = try await TCPTestClient(port: hbbs.port, from: "127.0.0.6")
        try await peerTCP.send(
            .with {
                $0.relayResponse = .with {
                    $0.socketAddr = forwarded.socketAddr
                    $0.uuid = uuid
                    $0.relayServer = "relay.example.com"
                    $0.id = peer.id
                    $0.version = "1.4.9"
                }
            })
        let response = try await requester.receive().relayResponse
        #expect(response.socketAddr.isEmpty)
        #expect(response.uuid == uuid && response.relayServer == "relay.example.com" && response.version == "1.4.9")
        guard case .pk(let blob) = response.union else {
            Issue.record("expected the id replaced by a signed pk")
            return
        }
        try expectSignedIdPk(blob, id: peer.id, pk: peer.pk)
        await requester.close()
        await hbbs.stop()
    }

    @Test func alwaysUseRelayForcesSymmetricNat() async throws {
        let hbbs = try await TestHbbs { $0.alwaysUseRelay = true }
        let peer = try await RegisteredTestPeer.register(with: hbbs, host: "127.0.0.8")
        let requester = try await TCPTestClient(port: hbbs.port, from: "127.0.0.9")
        try await requester.send(Messages.punchHoleRequest(peer.id, licenceKey: key, nat: .asymmetric))
        #expect(try await peer.udp.receive().punchHole.natType == .symmetric)
        await requester.close()
        await hbbs.stop()
    }

    @Test func failures() async throws {
        // The test moves time past the 30 s online window; the requester's connection must outlive that.
        let hbbs = try await TestHbbs { $0.connectionTimeout = .seconds(600) }
        let peer = try await RegisteredTestPeer.register(with: hbbs, host: "127.0.0.10")
        let requester = try await TCPTestClient(port: hbbs.port, from: "127.0.0.11")

        try await requester.send(Messages.punchHoleRequest(peer.id, licenceKey: "wrong"))
        #expect(try await requester.receive().punchHoleResponse.failure == .licenseMismatch)

        try await requester.send(Messages.punchHoleRequest("no-such-peer", licenceKey: key))
        let unknown = try await requester.receive().punchHoleResponse
        #expect(unknown.failure == .idNotExist && unknown.socketAddr.isEmpty)

        await hbbs.clock.advance(seconds: 30)
        try await requester.send(Messages.punchHoleRequest(peer.id, licenceKey: key))
        #expect(try await requester.receive().punchHoleResponse.failure == .offline)
        await requester.close()
        await hbbs.stop()
    }

    @Test func emptyLicenceKeyChecksNothing() async throws {
        let hbbs = try await TestHbbs { $0.licenceKey = "" }
        let requester = try await TCPTestClient(port: hbbs.port)
        try await requester.send(Messages.punchHoleRequest("no-such-peer", licenceKey: "anything"))
        #expect(try await requester.receive().punchHoleResponse.failure == .idNotExist)
        await requester.close()
        await hbbs.stop()
    }

    @Test func punchRequestsAreRecordedForTheConsole() async throws {
        let hbbs = try await TestHbbs()
        let peer = try await RegisteredTestPeer.register(with: hbbs, host: "127.0.0.12")
        let requester = try await TCPTestClient(port: hbbs.port, from: "127.0.0.13")
        try await requester.send(Messages.punchHoleRequest(peer.id, licenceKey: key))
        _ = try await peer.udp.receive()
        let entry = hbbs.services.tables.punchRequests.page(start: 0, size: 10).first
        #expect(entry?.fromIP == "127.0.0.13" && entry?.toIP == "127.0.0.12" && entry?.toID == peer.id)
        await requester.close()
        await hbbs.stop()
    }
}

@Suite struct IPv6FlowTests {
    @Test func registersAndPunchesOverIPv6Loopback() async throws {
        let hbbs = try await TestHbbs { $0.bind = IPAddress("::1") }
        let udp = try await UDPTestPeer(host: "::1")
        let id = Messages.newID()
        try await udp.send(
            Messages.registerPk(id, uuid: Messages.newUUID(), pk: Messages.newPk()), to: hbbs.port, host: "::1")
        #expect(try await udp.receive().registerPkResponse.result == .ok)
        try await udp.send(Messages.registerPeer(id), to: hbbs.port, host: "::1")
        #expect(try await udp.receive().registerPeerResponse.requestPk == false)
        let requester = try await TCPTestClient(port: hbbs.port, host: "::1")
        try await requester.send(Messages.punchHoleRequest(id, licenceKey: TestHbbs.signingKey.publicKeyString))
        let fetch = try await udp.receive().fetchLocalAddr
        // IPv6 addresses are mangled as 18 plain bytes.
        #expect(fetch.socketAddr.count == 18)
        #expect(AddrMangle.decode(fetch.socketAddr) == requester.localAddress)
        await requester.close()
        await hbbs.stop()
    }
}
