import Foundation
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import TestSupport
import Testing

@testable import Rendezvous

/// Registration over a kept-open TCP or WebSocket connection (client.md §3.5): what clients in proxy,
/// WebSocket or disable-udp mode do.
@Suite struct ConnectionRegistrationTests {
    let key = TestHbbs.signingKey.publicKeyString

    @Test func tcpRegisteredPeerIsReachedOnItsConnection() async throws {
        // The test moves time past the 30 s online window; the requester's connection must outlive that.
        let hbbs = try await TestHbbs { $0.connectionTimeout = .seconds(600) }
        let peer = try await TCPTestClient(port: hbbs.port, from: "127.0.0.90")
        let id = Messages.newID()
        try await peer.send(Messages.registerPk(id, uuid: Messages.newUUID(), pk: Messages.newPk()))
        #expect(try await peer.receive().registerPkResponse.result == .ok)

        // Online, though it never sends RegisterPeer.
        let query = try await TCPTestClient(port: hbbs.natPort, from: "127.0.0.91")
        try await query.send(.with { $0.onlineRequest = .with { $0.peers = [id] } })
        #expect(try await query.receive().onlineResponse.states == Data([0x80]))

        // A punch request is delivered on the registration connection, not over UDP.
        let requester = try await TCPTestClient(port: hbbs.port, from: "127.0.0.92")
        try await requester.send(Messages.punchHoleRequest(id, licenceKey: key))
        let punch = try await peer.receive().punchHole
        #expect(AddrMangle.decode(punch.socketAddr) == requester.localAddress)
        // So is a relay request.
        try await requester.send(
            .with {
                $0.requestRelay = .with {
                    $0.id = id; $0.uuid = "r1"
                }
            })
        #expect(try await peer.receive().requestRelay.uuid == "r1")

        // The controlled side answers on a new short connection, as real clients do.
        let answer = try await TCPTestClient(port: hbbs.port, from: "127.0.0.90")
        try await answer.send(
            .with {
                $0.relayResponse = .with {
                    $0.socketAddr = punch.socketAddr; $0.uuid = "r1"; $0.version = "1.4.9"
                }
            })
        #expect(try await requester.receive().relayResponse.uuid == "r1")

        // Closing the registration connection unbinds it: the peer goes offline with time.
        await peer.close()
        let unbound = await poll(timeout: .seconds(15)) { hbbs.services.messenger.connections.count == 0 }
        #expect(unbound)
        await hbbs.clock.advance(seconds: 31)
        try await requester.send(Messages.punchHoleRequest(id, licenceKey: key))
        #expect(try await requester.receive().punchHoleResponse.failure == .offline)
        await requester.close()
        await hbbs.stop()
    }

    @Test func heartbeatsAreEmptyUnitsAndTheirEchoKeepsThePeerOnline() async throws {
        let hbbs = try await TestHbbs()
        let peer = try await TCPTestClient(port: hbbs.port, from: "127.0.0.93")
        let id = Messages.newID()
        try await peer.send(Messages.registerPk(id, uuid: Messages.newUUID(), pk: Messages.newPk()))
        #expect(try await peer.receive().registerPkResponse.result == .ok)
        // Past the 15 s heartbeat, short of the 30 s idle limit; once the heartbeat timer is set.
        #expect(await hbbs.clock.advanceWhenDue(by: .seconds(29)))
        let heartbeat = try await peer.receive()
        #expect(heartbeat.union == nil)  // an empty unit
        try await peer.sendRaw([0x00])  // the client's echo: an empty frame
        let refreshed = await poll(timeout: .seconds(15)) {
            hbbs.services.tables.registry.peer(id)?.lastRegTime == hbbs.clock.now()
        }
        #expect(refreshed)
        await peer.close()
        await hbbs.stop()
    }

    @Test func webSocketRegistration() async throws {
        let hbbs = try await TestHbbs()
        let peer = try await hbbs.connectWebSocket(from: "127.0.0.94")
        let id = Messages.newID()
        try await peer.send(Messages.registerPk(id, uuid: Messages.newUUID(), pk: Messages.newPk()))
        #expect(try await peer.receive().registerPkResponse.result == .ok)
        let requester = try await hbbs.connectWebSocket(from: "127.0.0.95")
        try await requester.send(Messages.punchHoleRequest(id, licenceKey: key, nat: .symmetric))
        let punch = try await peer.receive().punchHole
        #expect(punch.natType == .symmetric)
        await hbbs.stop()
    }

    @Test func registrationRulesStillApply() async throws {
        let hbbs = try await TestHbbs()
        let first = try await TCPTestClient(port: hbbs.port, from: "127.0.0.96")
        let id = Messages.newID()
        try await first.send(Messages.registerPk(id, uuid: Messages.newUUID(), pk: Messages.newPk()))
        #expect(try await first.receive().registerPkResponse.result == .ok)
        // Another machine claiming the ID is refused on its connection, which stays open.
        let thief = try await TCPTestClient(port: hbbs.port, from: "127.0.0.97")
        try await thief.send(Messages.registerPk(id, uuid: Messages.newUUID(), pk: Messages.newPk()))
        #expect(try await thief.receive().registerPkResponse.result == .uuidMismatch)
        try await thief.send(Messages.registerPk("12345", uuid: "u", pk: [1]))
        #expect(try await thief.receive().registerPkResponse.result == .uuidMismatch)
        await hbbs.stop()
    }
}

/// What a logged-in or proxy-mode desktop client does: secure TCP first, then registration on the
/// encrypted connection, kept alive by the server's heartbeats (client.md §3.5.3).
@Suite struct SecureConnectionRegistrationTests {
    @Test func securedRegistrationIsReachedAndKeptAlive() async throws {
        let hbbs = try await TestHbbs()
        let peer = try await SecureTCPTestClient(port: hbbs.port)
        try await peer.handshake(serverPublicKey: TestHbbs.signingKey.publicKey)
        let id = Messages.newID()
        try await peer.send(Messages.registerPk(id, uuid: Messages.newUUID(), pk: Messages.newPk()))
        #expect(try await peer.receive().registerPkResponse.result == .ok)

        let requester = try await TCPTestClient(port: hbbs.port, from: "127.0.0.98")
        try await requester.send(Messages.punchHoleRequest(id, licenceKey: TestHbbs.signingKey.publicKeyString))
        // Arrives sealed on the registration connection; `receive` answers heartbeats on the way.
        let punch = try await peer.receive().punchHole
        #expect(AddrMangle.decode(punch.socketAddr) == requester.localAddress)
        // The next unit is a heartbeat: empty and never sealed. The echo keeps the peer online.
        #expect(await hbbs.clock.advanceWhenDue(by: .seconds(29)))
        #expect(await peer.receiveRawPayload() == [])
        try await peer.sendPayload([])
        let refreshed = await poll(timeout: .seconds(15)) {
            hbbs.services.tables.registry.peer(id)?.lastRegTime == hbbs.clock.now()
        }
        #expect(refreshed)
        await requester.close()
        await peer.close()
        await hbbs.stop()
    }
}
