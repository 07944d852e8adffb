import Foundation
import GRDB
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import TestSupport
import Testing

@testable import Rendezvous

@Suite struct PersistenceFlowTests {
    @Test func restartKeepsPeers() async throws {
        let directory = try TemporaryDirectory()
        let first = try await TestHbbs(directory: directory)
        let peer = try await RegisteredTestPeer.register(with: first, host: "127.0.0.50")
        await first.stop()

        let second = try await TestHbbs(directory: directory)
        // Known with its key: a heartbeat from the same IP is accepted without asking for the key again.
        try await peer.udp.send(Messages.registerPeer(peer.id), to: second.port)
        #expect(try await peer.udp.receive().registerPeerResponse.requestPk == false)
        // And another machine cannot take the ID.
        let thief = try await UDPTestPeer(host: "127.0.0.51")
        try await thief.send(
            Messages.registerPk(peer.id, uuid: Messages.newUUID(), pk: Messages.newPk()), to: second.port)
        #expect(try await thief.receive().registerPkResponse.result == .uuidMismatch)
        await second.stop()
    }

    /// A database made with rustdesk-server's exact schema and rows shaped like real clients' rows
    /// (stored by a dual-stack listener, so the IP text is IPv4-mapped).
    @Test func referenceDatabaseOpensAndItsPeerIsServed() async throws {
        let directory = try TemporaryDirectory()
        let id = "987654321"
        let uuid = Array("0c1e8e2a-2f0a-4f5e-9b7e-3d2b1f0a9c8d".utf8)
        let pk = [UInt8](repeating: 0x5A, count: 32)
        let queue = try DatabaseQueue(path: directory.file("db_v2.sqlite3"))
        try await queue.write { db in
            try db.execute(sql: referenceSchemaSQL)
            try db.execute(
                sql: "insert into peer(guid, id, uuid, pk, info) values(?, ?, ?, ?, ?)",
                arguments: [Data((0..<16).map { UInt8($0) }), id, Data(uuid), Data(pk), #"{"ip":"::ffff:127.0.0.60"}"#])
        }
        try queue.close()

        let hbbs = try await TestHbbs(directory: directory)
        // Loaded offline; a heartbeat from its recorded IP brings it online without a key request.
        let udp = try await UDPTestPeer(host: "127.0.0.60")
        try await udp.send(Messages.registerPeer(id), to: hbbs.port)
        #expect(try await udp.receive().registerPeerResponse.requestPk == false)
        // Same uuid and pk: accepted; another uuid: rejected.
        try await udp.send(
            .with {
                $0.registerPk = .with {
                    $0.id = id; $0.uuid = Data(uuid); $0.pk = Data(pk)
                }
            }, to: hbbs.port)
        #expect(try await udp.receive().registerPkResponse.result == .ok)
        try await udp.send(Messages.registerPk(id, uuid: Messages.newUUID(), pk: pk), to: hbbs.port)
        #expect(try await udp.receive().registerPkResponse.result == .uuidMismatch)
        // Its stored pk is what a controlling client receives, signed.
        let requester = try await TCPTestClient(port: hbbs.port, from: "127.0.0.61")
        try await requester.send(Messages.punchHoleRequest(id, licenceKey: TestHbbs.signingKey.publicKeyString))
        let punch = try await udp.receive().punchHole
        let peerTCP = try await TCPTestClient(port: hbbs.port, from: "127.0.0.60")
        try await peerTCP.send(
            .with {
                $0.punchHoleSent = .with {
                    $0.socketAddr = punch.socketAddr; $0.id = id; $0.version = "1.2.3"
                }
            })
        let response = try await requester.receive().punchHoleResponse
        let payload = try Sodium.open(signed: [UInt8](response.pk), publicKey: TestHbbs.signingKey.publicKey)
        #expect(try Hbb_IdPk(serializedBytes: payload).pk == Data(pk))
        await requester.close()
        await hbbs.stop()
    }
}
