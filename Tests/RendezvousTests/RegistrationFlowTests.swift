import Foundation
import NIOCore
import PeerStore
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import TestSupport
import Testing

@testable import Rendezvous

/// A peer that completed register → RegisterPk → heartbeat against `hbbs`, from `host`.
struct RegisteredTestPeer {
    let udp: UDPTestPeer
    let id: String
    let uuid: String
    let pk: [UInt8]
    let host: String

    static func register(with hbbs: TestHbbs, host: String = "127.0.0.1") async throws -> RegisteredTestPeer {
        let udp = try await UDPTestPeer(host: host)
        let peer = RegisteredTestPeer(
            udp: udp, id: Messages.newID(), uuid: Messages.newUUID(), pk: Messages.newPk(), host: host)
        try await udp.send(Messages.registerPk(peer.id, uuid: peer.uuid, pk: peer.pk), to: hbbs.port)
        let response = try await udp.receive()
        #expect(response.registerPkResponse.result == .ok)
        try await peer.heartbeat(hbbs, expectRequestPk: false)
        return peer
    }

    func heartbeat(_ hbbs: TestHbbs, expectRequestPk: Bool) async throws {
        try await udp.send(Messages.registerPeer(id), to: hbbs.port)
        let response = try await udp.receive()
        #expect(response.registerPeerResponse == .with { $0.requestPk = expectRequestPk })
    }
}

@Suite struct RegistrationFlowTests {
    @Test func registerThenHeartbeat() async throws {
        let hbbs = try await TestHbbs()
        let udp = try await UDPTestPeer()
        let id = Messages.newID()
        try await udp.send(Messages.registerPeer(id), to: hbbs.port)
        #expect(try await udp.receive().registerPeerResponse.requestPk == true)

        let uuid = Messages.newUUID()
        let pk = Messages.newPk()
        try await udp.send(Messages.registerPk(id, uuid: uuid, pk: pk), to: hbbs.port)
        #expect(try await udp.receive().registerPkResponse.result == .ok)
        // OK is sent only once the row is committed: it must be readable now.
        let row = try await hbbs.store.peer(id: id)
        #expect(row?.uuid == Array(uuid.utf8))
        #expect(row?.pk == pk)
        #expect(row?.ip == "127.0.0.1")

        try await udp.send(Messages.registerPeer(id), to: hbbs.port)
        #expect(try await udp.receive().registerPeerResponse.requestPk == false)
        #expect(hbbs.services.tables.registry.peer(id)?.isOnline(now: hbbs.clock.now()) == true)
        await udp.close()
        await hbbs.stop()
    }

    @Test func olderClientSerialAlsoGetsConfigUpdate() async throws {
        let hbbs = try await TestHbbs {
            $0.serial = 7
            $0.rendezvousServers = ["rs.example.com"]
        }
        let udp = try await UDPTestPeer()
        try await udp.send(Messages.registerPeer(Messages.newID(), serial: 3), to: hbbs.port)
        _ = try await udp.receive()
        let update = try await udp.receive()
        #expect(update.configureUpdate.serial == 7)
        #expect(update.configureUpdate.rendezvousServers == ["rs.example.com"])
        await udp.close()
        await hbbs.stop()
    }

    @Test func registerPkRulesOnTheWire() async throws {
        let hbbs = try await TestHbbs()
        let udp = try await UDPTestPeer(host: "127.0.0.5")
        // Too short an ID.
        try await udp.send(Messages.registerPk("12345", uuid: "u", pk: [1]), to: hbbs.port)
        #expect(try await udp.receive().registerPkResponse.result == .uuidMismatch)
        // Register, then another machine (uuid) claims the ID.
        let id = Messages.newID()
        let uuid = Messages.newUUID()
        let pk = Messages.newPk()
        try await udp.send(Messages.registerPk(id, uuid: uuid, pk: pk), to: hbbs.port)
        #expect(try await udp.receive().registerPkResponse.result == .ok)
        try await udp.send(Messages.registerPk(id, uuid: Messages.newUUID(), pk: pk), to: hbbs.port)
        #expect(try await udp.receive().registerPkResponse.result == .uuidMismatch)
        // Same machine, same key: accepted twice more, then the per-ID burst limit answers TOO_FREQUENT.
        for _ in 0..<2 {
            try await udp.send(Messages.registerPk(id, uuid: uuid, pk: pk), to: hbbs.port)
            #expect(try await udp.receive().registerPkResponse.result == .ok)
        }
        try await udp.send(Messages.registerPk(id, uuid: uuid, pk: pk), to: hbbs.port)
        #expect(try await udp.receive().registerPkResponse.result == .tooFrequent)
        await hbbs.clock.advance(seconds: 7)
        try await udp.send(Messages.registerPk(id, uuid: uuid, pk: pk), to: hbbs.port)
        #expect(try await udp.receive().registerPkResponse.result == .ok)
        await udp.close()
        await hbbs.stop()
    }

    @Test func missingUUIDOrPkGetsNoReply() async throws {
        let hbbs = try await TestHbbs()
        let udp = try await UDPTestPeer()
        try await udp.send(Messages.registerPk(Messages.newID(), uuid: "", pk: [1]), to: hbbs.port)
        // UDP keeps order on loopback: the next reply must be the probe's.
        try await udp.send(Messages.registerPeer(Messages.newID()), to: hbbs.port)
        #expect(try await udp.receive().registerPeerResponse.requestPk == true)
        await udp.close()
        await hbbs.stop()
    }

    @Test func ipBlockerAnswersTooFrequentAfterTheBurst() async throws {
        let hbbs = try await TestHbbs { $0.limitLoopbackRegistrations = true }
        let udp = try await UDPTestPeer(host: "127.0.0.9")
        var results: [Hbb_RegisterPkResponse.Result] = []
        for _ in 0..<33 {
            try await udp.send(Messages.registerPk(Messages.newID(), uuid: Messages.newUUID(), pk: [1]), to: hbbs.port)
            results.append(try await udp.receive().registerPkResponse.result)
        }
        #expect(results.prefix(32).allSatisfy { $0 == .ok })
        #expect(results.last == .tooFrequent)
        await udp.close()
        await hbbs.stop()
    }

    @Test func loopbackSourcesAreNotLimitedPerIP() async throws {
        let hbbs = try await TestHbbs()
        let udp = try await UDPTestPeer(host: "127.0.0.1")
        for _ in 0..<40 {
            try await udp.send(Messages.registerPk(Messages.newID(), uuid: Messages.newUUID(), pk: [1]), to: hbbs.port)
            #expect(try await udp.receive().registerPkResponse.result == .ok)
        }
        await udp.close()
        await hbbs.stop()
    }

    @Test func failedCommitAnswersServerErrorAndAsksForTheKeyAgain() async throws {
        let hbbs = try await TestHbbs(storeOverride: FailingStore())
        let peer = try await UDPTestPeer()
        let id = Messages.newID()
        try await peer.send(Messages.registerPk(id, uuid: Messages.newUUID(), pk: [7]), to: hbbs.port)
        #expect(try await peer.receive().registerPkResponse.result == .serverError)
        try await peer.send(Messages.registerPeer(id), to: hbbs.port)
        #expect(try await peer.receive().registerPeerResponse.requestPk == true)
        await peer.close()
        await hbbs.stop()
    }

    @Test func softwareUpdateOnlyWhenVersionDiffers() async throws {
        let url = "https://example.com/rustdesk-1.4.9.exe"
        let hbbs = try await TestHbbs { $0.softwareURL = url }
        let udp = try await UDPTestPeer()
        try await udp.send(.with { $0.softwareUpdate = .with { $0.url = "1.4.0" } }, to: hbbs.port)
        #expect(try await udp.receive().softwareUpdate.url == url)
        try await udp.send(.with { $0.softwareUpdate = .with { $0.url = "1.4.9" } }, to: hbbs.port)
        try await udp.send(Messages.registerPeer(Messages.newID()), to: hbbs.port)
        #expect(try await udp.receive().registerPeerResponse.requestPk == true)
        await udp.close()
        await hbbs.stop()
    }

    @Test func loopbackConfigUpdateChangesSerial() async throws {
        let hbbs = try await TestHbbs { $0.serial = 1 }
        let admin = try await UDPTestPeer()
        try await admin.send(
            .with {
                $0.configureUpdate = .with {
                    $0.serial = 9; $0.rendezvousServers = ["a.example", ""]
                }
            },
            to: hbbs.port)
        let updated = await poll(timeout: .seconds(15)) { hbbs.services.configUpdates.serialAndServers.serial == 9 }
        #expect(updated)
        #expect(hbbs.services.configUpdates.serialAndServers.servers == ["a.example"])
        await admin.close()
        await hbbs.stop()
    }

    /// Two ConfigUpdates resolve concurrently; the older one finishing last must not take the serial back.
    @Test func configUpdateNeverTakesTheSerialBack() async throws {
        let hbbs = try await TestHbbs { $0.serial = 1 }
        #expect(hbbs.services.configUpdates.replace(serial: 9, servers: ["new.example"]))
        #expect(!hbbs.services.configUpdates.replace(serial: 5, servers: ["old.example"]))
        #expect(!hbbs.services.configUpdates.replace(serial: 9, servers: ["same.example"]))
        #expect(hbbs.services.configUpdates.serialAndServers.serial == 9)
        #expect(hbbs.services.configUpdates.serialAndServers.servers == ["new.example"])
        await hbbs.stop()
    }
}

/// An empty store whose every write fails, as a full disk would.
struct FailingStore: PeerStore {
    func loadAll(_ body: (PeerRecord) throws(PeerStoreError) -> Void) throws(PeerStoreError) -> PeerLoadSummary {
        PeerLoadSummary()
    }

    func save(_ peer: PeerSave, completion: @escaping @Sendable (Result<Void, PeerStoreError>) -> Void) {
        completion(.failure(.sqlite(code: 13, message: "database or disk is full")))
    }

    func changeID(
        _ save: PeerSave, from oldID: String, completion: @escaping @Sendable (Result<Void, PeerStoreError>) -> Void
    ) {
        completion(.failure(.sqlite(code: 13, message: "database or disk is full")))
    }

    func flush() async {}  // completions run inside `save`

    func peer(id: String) async throws(PeerStoreError) -> PeerRecord? { nil }

    func peerCount() async throws(PeerStoreError) -> Int { 0 }

    var queueDepth: Int { 0 }

    var acceptsWrites: Bool { false }
}
