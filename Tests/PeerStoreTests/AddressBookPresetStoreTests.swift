import APICore
import Foundation
import TestSupport
import Testing

@testable import PeerStore

/// What the SQLite store offers the address-book presets and device names: shared books by name, a
/// peer merged in one write, and directory entries that carry the names a sysinfo reported.
@Suite struct AddressBookPresetStoreTests {
    @Test func sharedBooksAreFoundByNameIgnoringCase() async throws {
        let fixture = try await AddressBookStoreTests.Fixture()
        let store = fixture.store
        let shared = try await store.insertSharedBook(
            ownerID: fixture.alice.id, name: "Branch", note: "", password: "", now: 1)
        _ = try await store.personalBook(ownerID: fixture.bob.id, now: 1)
        #expect(try await store.sharedBook(named: "bRANCH") == shared)
        #expect(try await store.sharedBook(named: "") == nil)
        #expect(try await store.sharedBook(named: "Other") == nil)
        await fixture.peerStore.shutdown()
    }

    @Test func aMergeAddsOrChangesOnePeerWithinTheBookSize() async throws {
        let fixture = try await AddressBookStoreTests.Fixture()
        let store = fixture.store
        let book = try await store.insertSharedBook(
            ownerID: fixture.alice.id, name: "B", note: "", password: "", now: 1)
        #expect(
            try await store.mergePeer(bookID: book.id, id: "1", maxPeers: 1, now: 2) { stored in
                AddressBookPeer(id: "ignored", alias: stored == nil ? "new" : "old", tags: ["t"])
            })
        #expect(
            try await store.mergePeer(bookID: book.id, id: "1", maxPeers: 1, now: 3) { stored in
                var peer = stored ?? AddressBookPeer(id: "1")
                peer.note = "seen \(peer.alias)"
                return peer
            })
        #expect(
            try await store.mergePeer(bookID: book.id, id: "2", maxPeers: 1, now: 4) { _ in AddressBookPeer(id: "2") }
                == false)
        #expect(
            try await store.allPeers(bookID: book.id) == [
                AddressBookPeer(id: "1", alias: "new", note: "seen new", tags: ["t"])
            ])
        await fixture.peerStore.shutdown()
    }

    @Test func directoryEntriesCarryTheReportedNames() async throws {
        let fixture = try await AddressBookStoreTests.Fixture()
        let store = fixture.store
        let info = DeviceSysinfo(os: "macos / 14.5", hostname: "mac-mini", username: "eve")
        let saved = try await store.saveSysinfo(SysinfoRecord(deviceID: "42", uuid: "dQ==", sysinfo: info, now: 1))
        let names = PeerNames(username: "eve", hostname: "mac-mini", platform: "Mac OS")
        #expect(saved.entry.names == names)
        #expect(try await store.deviceDirectory().map(\.names) == [names])
        let bare = try await store.setDeviceOwner(deviceID: "7", uuid: "dQ==", ownerID: nil, now: 1)
        #expect(bare.names.isEmpty)
        await fixture.peerStore.shutdown()
    }
}
