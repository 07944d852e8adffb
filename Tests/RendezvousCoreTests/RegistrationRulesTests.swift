import RustDeskCore
import Testing

@testable import RendezvousCore

@Suite struct RegistrationRulesTests {
    let uuid = Array("6f9c1e9e-6a4b-4a34-9d9c-2b1e5d4b8a11".utf8)
    let pk = [UInt8](repeating: 0x11, count: 32)
    let otherPk = [UInt8](repeating: 0x22, count: 32)
    let source = SocketAddr(ip: IPAddress(v4Octets: 203, 0, 113, 5), port: 40_000)

    func register(
        _ record: inout RegisteredPeer?, id: String = "123456789", uuid: [UInt8]? = nil, pk: [UInt8]? = nil,
        from source: SocketAddr? = nil, blocked: Bool = false, now: Milliseconds = 1_000_000
    ) -> RegistrationRules.RegisterPkOutcome {
        let address = source ?? self.source
        return RegistrationRules.registerPk(
            &record, id: id, uuid: uuid ?? self.uuid, pk: pk ?? self.pk, source: address,
            sourceIPText: address.ip.description, allowedByIPBlocker: { !blocked },
            newGUID: { [UInt8](repeating: 0xAB, count: 16) }, now: now)
    }

    @Test func unknownPeerHeartbeatAsksForKeyAndCreatesNothing() {
        var record: RegisteredPeer?
        let outcome = RegistrationRules.heartbeat(&record, source: source, now: 0)
        #expect(outcome.requestPk)
        #expect(record == nil)
    }

    @Test func newPeerRegistersThenHeartbeatsWithoutKeyRequest() {
        var record: RegisteredPeer?
        guard case .save(let save, let ipChanged) = register(&record) else {
            Issue.record("expected save")
            return
        }
        #expect(!ipChanged)
        #expect(save.guid.count == 16 && save.id == "123456789" && save.pk == pk && save.uuid == uuid)
        #expect(save.infoIP == "203.0.113.5")
        #expect(record?.isOnline(now: 1_000_000) == true)
        let heartbeat = RegistrationRules.heartbeat(&record, source: source, now: 1_010_000)
        #expect(!heartbeat.requestPk)
        #expect(record?.lastRegTime == 1_010_000)
    }

    @Test func ignoresEmptyUUIDOrPk() {
        var record: RegisteredPeer?
        let result1 = register(&record, uuid: [])
        #expect(result1 == .ignore)
        let result2 = register(&record, pk: [])
        #expect(result2 == .ignore)
        #expect(record == nil)
    }

    @Test(arguments: ["", "1", "12345"])
    func shortIDIsUUIDMismatch(id: String) {
        var record: RegisteredPeer?
        let result3 = register(&record, id: id)
        #expect(result3 == .reply(.uuidMismatch))
    }

    @Test func sixByteIDIsAccepted() {
        var record: RegisteredPeer?
        guard case .save = register(&record, id: "123456") else {
            Issue.record("expected save")
            return
        }
    }

    @Test func ipBlockerRefusalIsTooFrequent() {
        var record: RegisteredPeer?
        let result4 = register(&record, blocked: true)
        #expect(result4 == .reply(.tooFrequent))
    }

    @Test func otherUUIDIsMismatch() {
        var record: RegisteredPeer?
        _ = register(&record)
        let result5 = register(&record, uuid: Array("another-machine".utf8), now: 1_010_000)
        #expect(result5 == .reply(.uuidMismatch))
    }

    @Test func sameUUIDNewIPAndNewPkIsMismatch() {
        var record: RegisteredPeer?
        _ = register(&record)
        let elsewhere = SocketAddr(ip: IPAddress(v4Octets: 198, 51, 100, 1), port: 1)
        let result6 = register(&record, pk: otherPk, from: elsewhere, now: 1_010_000)
        #expect(result6 == .reply(.uuidMismatch))
    }

    @Test func sameUUIDNewIPSamePkIsAcceptedAsIPChange() {
        var record: RegisteredPeer?
        _ = register(&record)
        let elsewhere = SocketAddr(ip: IPAddress(v4Octets: 198, 51, 100, 1), port: 1)
        guard case .save(let save, let ipChanged) = register(&record, from: elsewhere, now: 1_010_000) else {
            Issue.record("expected save")
            return
        }
        #expect(ipChanged)
        #expect(save.infoIP == "198.51.100.1")
        #expect(save.guid == [UInt8](repeating: 0xAB, count: 16))
    }

    @Test func sameUUIDSameIPNewPkIsSaved() {
        var record: RegisteredPeer?
        _ = register(&record)
        guard case .save(let save, false) = register(&record, pk: otherPk, now: 1_010_000) else {
            Issue.record("expected save")
            return
        }
        #expect(save.pk == otherPk)
    }

    @Test func identicalRegistrationChangesNothing() {
        var record: RegisteredPeer?
        _ = register(&record)
        let result7 = register(&record, now: 1_001_000)
        #expect(result7 == .unchanged)
    }

    @Test func perIDBurstIsThreeAndReopensAfterSevenSeconds() {
        var record: RegisteredPeer?
        _ = register(&record, now: 0)
        let result8 = register(&record, now: 1_000)
        #expect(result8 == .unchanged)
        let result9 = register(&record, now: 2_000)
        #expect(result9 == .unchanged)
        let result10 = register(&record, now: 3_000)
        #expect(result10 == .reply(.tooFrequent))
        let result11 = register(&record, now: 2_000 + 6_999)
        #expect(result11 == .reply(.tooFrequent))
        let result12 = register(&record, now: 2_000 + 7_000)
        #expect(result12 == .unchanged)
    }

    @Test func heartbeatFromNewIPAsksForKeyAndKeepsPeerWhereItWas() {
        var record: RegisteredPeer?
        _ = register(&record)
        let elsewhere = SocketAddr(ip: IPAddress(v4Octets: 198, 51, 100, 1), port: 1)
        let outcome = RegistrationRules.heartbeat(&record, source: elsewhere, now: 1_005_000)
        #expect(outcome.requestPk && outcome.ipChanged)
        #expect(record?.socketAddr == source)
        #expect(record?.lastRegTime == 1_000_000)
    }

    @Test func loopbackHeartbeatIsNeverAnIPChange() throws {
        var record: RegisteredPeer?
        _ = register(&record)
        for text in ["127.0.0.1", "::ffff:127.0.0.1", "::1"] {
            let loopback = SocketAddr(ip: try #require(IPAddress(text)), port: 5)
            let result13 = RegistrationRules.heartbeat(&record, source: loopback, now: 1_001_000)
            #expect(!result13.requestPk, "\(text)")
        }
    }

    @Test func loadedPeerMatchesMappedIPTextFromDualStackServer() {
        // A row written by rustdesk-server on a dual-stack socket stores "::ffff:a.b.c.d".
        var record: RegisteredPeer? = .loaded(
            guid: [1], uuid: uuid, pk: pk, infoIP: "::ffff:203.0.113.5", now: 0)
        let result14 = RegistrationRules.heartbeat(&record, source: source, now: 10)
        #expect(!result14.requestPk)
        #expect(record?.isOnline(now: 10) == true)
    }

    @Test func loadedPeerIsOfflineUntilHeartbeat() {
        let record = RegisteredPeer.loaded(guid: [1], uuid: uuid, pk: pk, infoIP: "1.2.3.4", now: 0)
        #expect(!record.isOnline(now: 0))
    }

    @Test func failedSaveForgetsKeySoItIsRequestedAgain() {
        var record: RegisteredPeer?
        guard case .save(let save, _) = register(&record) else {
            Issue.record("expected save")
            return
        }
        RegistrationRules.saveFailed(&record, save: save)
        let result15 = RegistrationRules.heartbeat(&record, source: source, now: 1_001_000)
        #expect(result15.requestPk)
        guard case .save = register(&record, now: 1_002_000) else {
            Issue.record("expected the retry to save again")
            return
        }
    }
}

@Suite struct PeerRegistryTests {
    @Test func concurrentUpdatesAreNotLost() async {
        let registry = PeerRegistry(shardCount: 8)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for index in 0..<2_000 {
                        registry.withPeer("peer\(index % 100)") { record in
                            // A record "created an hour ago" starts its clock at 0: each update adds 1.
                            var peer = record ?? .empty(now: 3_600_000)
                            peer.lastRegTime += 1
                            record = peer
                        }
                    }
                }
            }
        }
        #expect(registry.count == 100)
        let total = (0..<100).reduce(0) { $0 + Int(registry.peer("peer\($1)")?.lastRegTime ?? 0) }
        #expect(total == 16_000)
    }

    @Test func bulkInsertAndRemove() {
        let registry = PeerRegistry()
        registry.insert((0..<1_000).map { (id: "id\($0)", peer: RegisteredPeer.empty(now: 0)) })
        #expect(registry.count == 1_000)
        registry.withPeer("id5") { $0 = nil }
        #expect(registry.peer("id5") == nil)
        #expect(registry.count == 999)
    }
}

@Suite struct PackedKeysTests {
    @Test(arguments: [0, 1, 16, 36])
    func fieldsRoundTripIndependently(uuidLength: Int) {
        var peer = RegisteredPeer.loaded(
            guid: Array(0..<16), uuid: [UInt8](repeating: 7, count: uuidLength), pk: [UInt8](repeating: 9, count: 32),
            infoIP: "1.2.3.4", now: 0)
        #expect(peer.guid == Array(0..<16))
        #expect(peer.uuid == [UInt8](repeating: 7, count: uuidLength))
        #expect(peer.pk == [UInt8](repeating: 9, count: 32) && peer.hasPk)
        peer.pk = []
        #expect(!peer.hasPk && peer.uuid.count == uuidLength && peer.guid.count == 16)
        peer.guid = [1]
        #expect(peer.guid == [1] && peer.uuid.count == uuidLength && peer.pk.isEmpty)
        peer.uuid = [2, 3]
        peer.pk = [4]
        #expect(peer.guid == [1] && peer.uuid == [2, 3] && peer.pk == [4])
        peer.guid = []
        peer.uuid = []
        peer.pk = []
        #expect(peer.guid.isEmpty && peer.uuid.isEmpty && !peer.hasPk && peer.infoIP == "1.2.3.4")
        peer.infoIP = ""
        #expect(
            peer.infoIP.isEmpty && peer.guid.isEmpty
                && peer
                    == RegisteredPeer.loaded(
                        guid: [], uuid: [], pk: [], infoIP: "", now: 0)
        )
    }

    @Test func longFieldsKeepTheirLengths() {
        let long = [UInt8](repeating: 5, count: 300)
        let peer = RegisteredPeer.loaded(
            guid: long, uuid: long, pk: long, infoIP: String(repeating: "a", count: 45), now: 0)
        #expect(peer.guid == long && peer.uuid == long && peer.pk == long && peer.infoIP.count == 45)
    }
}

@Suite struct CompactPeerLayoutTests {
    @Test(arguments: ["1.2.3.4:5", "[2001:db8::1]:65535", "[::ffff:10.0.0.1]:80", "0.0.0.0:0", "[::1]:21116"])
    func addressRoundTrips(text: String) throws {
        var peer = RegisteredPeer.empty(now: 0)
        let address = try #require(SocketAddr(text))
        peer.socketAddr = address
        #expect(peer.socketAddr == address)
    }

    @Test func infoIPAndKeysShareStorageWithoutMixing() {
        var peer = RegisteredPeer.loaded(guid: [1, 2], uuid: [3], pk: [4, 5, 6], infoIP: "::ffff:192.168.1.5", now: 0)
        #expect(
            peer.infoIP == "::ffff:192.168.1.5" && peer.pk == [4, 5, 6] && peer.uuid == [3] && peer.guid == [1, 2])
        peer.infoIP = "1.2.3.4"
        peer.pk = []
        #expect(peer.infoIP == "1.2.3.4" && !peer.hasPk && peer.uuid == [3] && peer.guid == [1, 2])
    }

    @Test func burstCounterSaturates() {
        var peer = RegisteredPeer.empty(now: 0)
        peer.registerPkCount = 1_000
        #expect(peer.registerPkCount == 255)
        peer.registerPkCount = 3
        #expect(peer.registerPkCount == 3)
    }

    @Test func recordIsSmall() {
        // The dictionary slot of a million peers: keep an eye on it (it was 96, then 64 bytes).
        #expect(MemoryLayout<RegisteredPeer>.stride <= 48)
    }
}
