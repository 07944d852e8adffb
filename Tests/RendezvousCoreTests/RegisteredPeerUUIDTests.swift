import Testing

@testable import RendezvousCore

/// `hasUUID` compares in place: equal bytes only, and never a match for a peer without a uuid.
@Suite struct RegisteredPeerUUIDTests {
    @Test func matchesOnlyTheStoredNonEmptyUUID() {
        let uuid: [UInt8] = Array(1...16)
        let peer = RegisteredPeer.loaded(
            guid: [9, 9], uuid: uuid, pk: Array(repeating: 7, count: 32), infoIP: "10.0.0.1", now: 0)
        #expect(peer.hasUUID(uuid))
        #expect(!peer.hasUUID(Array(uuid.dropLast())))
        #expect(!peer.hasUUID(uuid + [0]))
        #expect(!peer.hasUUID(Array(2...17)))
        let noUUID = RegisteredPeer.loaded(guid: [9], uuid: [], pk: [1, 2], infoIP: "", now: 0)
        #expect(!noUUID.hasUUID([]))
        #expect(!RegisteredPeer.empty(now: 0).hasUUID([]))
    }
}
