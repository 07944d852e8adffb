import APICore
import Foundation
import GRDB
import TestSupport
import Testing

@testable import PeerStore

/// The SQLite address-book store: what the schema keeps unique, what goes with a deleted user, group
/// or book, and that tag changes reach the peers that carry them.
@Suite struct AddressBookStoreTests {
    /// A store on a fresh database with users `alice` (in group `ops`) and `bob`.
    struct Fixture {
        let directory: TemporaryDirectory
        let peerStore: SQLitePeerStore
        let store: SQLiteAPIStore
        let alice: User
        let bob: User

        init() async throws {
            directory = try TemporaryDirectory()
            peerStore = try SQLitePeerStore(location: DatabaseLocation(path: directory.file("db_v2.sqlite3")))
            store = peerStore.apiStore
            alice = try await store.insertUser(NewUser(name: "alice", passwordHash: "x", groupName: "ops"), now: 1)
            bob = try await store.insertUser(NewUser(name: "bob", passwordHash: "x"), now: 1)
        }

        func count(_ table: String) async throws -> Int {
            try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
        }
    }

    @Test func thePersonalBookIsCreatedOncePerUser() async throws {
        let fixture = try await Fixture()
        let first = try await fixture.store.personalBook(ownerID: fixture.alice.id, now: 5)
        let second = try await fixture.store.personalBook(ownerID: fixture.alice.id, now: 9)
        #expect(first == second)
        #expect(first.isPersonal)
        #expect(try await fixture.store.personalBook(ownerID: fixture.bob.id, now: 5).guid != first.guid)
        #expect(try await fixture.store.addressBook(guid: first.guid) == first)
        await fixture.peerStore.shutdown()
    }

    @Test func sharedBookNamesAreUniqueIgnoringCase() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.store.insertSharedBook(
            ownerID: fixture.alice.id, name: "Team", note: "", password: "", now: 1)
        await #expect(throws: APIStoreError.conflict) {
            _ = try await fixture.store.insertSharedBook(
                ownerID: fixture.bob.id, name: "team", note: "", password: "", now: 1)
        }
        await fixture.peerStore.shutdown()
    }

    @Test func visibleSharedBooksComeWithTheirOwnerAndRules() async throws {
        let fixture = try await Fixture()
        let store = fixture.store
        let groupID = try #require(fixture.alice.groupID)
        let owned = try await store.insertSharedBook(ownerID: fixture.bob.id, name: "b", note: "", password: "", now: 1)
        let byGroup = try await store.insertSharedBook(
            ownerID: fixture.bob.id, name: "a", note: "", password: "", now: 1)
        let byEveryone = try await store.insertSharedBook(
            ownerID: fixture.bob.id, name: "c", note: "", password: "", now: 1)
        _ = try await store.insertSharedBook(ownerID: fixture.bob.id, name: "d", note: "", password: "", now: 1)
        try await store.setShareRule(bookID: byGroup.id, target: .group(groupID), rule: .read, now: 1)
        try await store.setShareRule(bookID: byGroup.id, target: .group(groupID), rule: .readWrite, now: 2)
        try await store.setShareRule(bookID: byEveryone.id, target: .everyone, rule: .read, now: 1)
        let alices = try await store.sharedBooks(visibleTo: fixture.alice.id, groupID: groupID)
        #expect(alices.map(\.book.name) == ["a", "c"])
        #expect(alices.first?.ownerName == "bob")
        #expect(alices.first?.rules == [BookRule(target: .group(groupID), rule: .readWrite)])
        let bobs = try await store.sharedBooks(visibleTo: fixture.bob.id, groupID: nil)
        #expect(bobs.map(\.book.name) == ["a", "b", "c", "d"])
        #expect(bobs.map(\.book.id).contains(owned.id))
        await #expect(throws: APIStoreError.notFound) {
            try await store.setShareRule(bookID: byGroup.id, target: .user(999), rule: .read, now: 1)
        }
        await fixture.peerStore.shutdown()
    }

    @Test func deletingAUserTakesTheirBooksAndTheRulesNamingThem() async throws {
        let fixture = try await Fixture()
        let store = fixture.store
        let personal = try await store.personalBook(ownerID: fixture.alice.id, now: 1)
        _ = try await store.upsertPeer(bookID: personal.id, AddressBookPeerPatch(id: "1"), maxPeers: 10, now: 1)
        _ = try await store.addTag(bookID: personal.id, AddressBookTag(name: "t", color: 1), maxTags: 10, now: 1)
        let shared = try await store.insertSharedBook(
            ownerID: fixture.alice.id, name: "s", note: "", password: "", now: 1)
        try await store.setShareRule(bookID: shared.id, target: .user(fixture.bob.id), rule: .read, now: 1)
        let bobs = try await store.insertSharedBook(
            ownerID: fixture.bob.id, name: "bobs", note: "", password: "", now: 1)
        try await store.setShareRule(bookID: bobs.id, target: .user(fixture.alice.id), rule: .read, now: 1)
        try await store.setShareRule(
            bookID: bobs.id, target: .group(try #require(fixture.alice.groupID)), rule: .read, now: 1)
        try await store.setShareRule(bookID: bobs.id, target: .everyone, rule: .read, now: 1)

        try await store.write { db in try db.execute(sql: "DELETE FROM api_user WHERE name = 'alice'") }
        #expect(try await store.addressBook(guid: personal.guid) == nil)
        #expect(try await store.addressBook(guid: shared.guid) == nil)
        #expect(try await fixture.count("api_address_book_peer") == 0)
        #expect(try await fixture.count("api_address_book_tag") == 0)
        #expect(try await store.shareRules(bookID: bobs.id).count == 2)

        try await store.write { db in try db.execute(sql: "DELETE FROM api_user_group") }
        #expect(try await store.shareRules(bookID: bobs.id) == [BookRule(target: .everyone, rule: .read)])
        #expect(try await store.deleteAddressBook(bookID: bobs.id))
        #expect(try await fixture.count("api_address_book_rule") == 0)
        #expect(try await store.deleteAddressBook(bookID: bobs.id) == false)
        await fixture.peerStore.shutdown()
    }

    @Test func peersAreUpsertedPagedAndBounded() async throws {
        let fixture = try await Fixture()
        let store = fixture.store
        let book = try await store.personalBook(ownerID: fixture.alice.id, now: 1)
        for id in ["c", "a", "b"] {
            #expect(try await store.upsertPeer(bookID: book.id, AddressBookPeerPatch(id: id), maxPeers: 3, now: 1))
        }
        #expect(
            try await store.upsertPeer(bookID: book.id, AddressBookPeerPatch(id: "d"), maxPeers: 3, now: 1) == false)
        #expect(
            try await store.upsertPeer(
                bookID: book.id, AddressBookPeerPatch(id: "a", alias: "A", tags: ["x"]), maxPeers: 3, now: 2))
        let page = try await store.peers(bookID: book.id, offset: 1, limit: 1)
        #expect(page.total == 3)
        #expect(page.items.map(\.id) == ["b"])
        let first = try await store.peers(bookID: book.id, offset: 0, limit: 1).items.first
        #expect(first == AddressBookPeer(id: "a", alias: "A", tags: ["x"]))
        #expect(try await store.peers(bookID: book.id, offset: 999_999_000, limit: 1000).items.isEmpty)
        #expect(try await store.updatePeer(bookID: book.id, AddressBookPeerPatch(id: "z"), now: 3) == false)
        #expect(try await store.deletePeers(bookID: book.id, ids: ["a", "a", "nope"], now: 3) == 1)
        #expect(try await store.allPeers(bookID: book.id).map(\.id) == ["b", "c"])
        await fixture.peerStore.shutdown()
    }

    @Test func tagChangesReachThePeersThatCarryThem() async throws {
        let fixture = try await Fixture()
        let store = fixture.store
        let book = try await store.personalBook(ownerID: fixture.alice.id, now: 1)
        for name in ["a", "b"] {
            #expect(
                try await store.addTag(
                    bookID: book.id, AddressBookTag(name: name, color: 4_294_901_760), maxTags: 2, now: 1) == .added)
        }
        #expect(
            try await store.addTag(bookID: book.id, AddressBookTag(name: "a", color: 1), maxTags: 5, now: 1) == .exists)
        #expect(
            try await store.addTag(bookID: book.id, AddressBookTag(name: "c", color: 1), maxTags: 2, now: 1) == .full)
        _ = try await store.upsertPeer(
            bookID: book.id, AddressBookPeerPatch(id: "1", tags: ["a", "b"]), maxPeers: 9, now: 1)
        _ = try await store.upsertPeer(bookID: book.id, AddressBookPeerPatch(id: "2", tags: ["b"]), maxPeers: 9, now: 1)

        #expect(try await store.renameTag(bookID: book.id, from: "a", to: "b", now: 2) == .exists)
        #expect(try await store.renameTag(bookID: book.id, from: "zz", to: "y", now: 2) == .missing)
        #expect(try await store.renameTag(bookID: book.id, from: "a", to: "c", now: 2) == .renamed)
        #expect(try await store.allPeers(bookID: book.id).map(\.tags) == [["c", "b"], ["b"]])
        #expect(try await store.setTagColor(bookID: book.id, name: "c", color: 4_294_967_295, now: 2))
        #expect(try await store.setTagColor(bookID: book.id, name: "a", color: 1, now: 2) == false)
        #expect(try await store.deleteTags(bookID: book.id, names: ["b", "nope"], now: 3) == 1)
        #expect(try await store.allPeers(bookID: book.id).map(\.tags) == [["c"], []])
        #expect(try await store.tags(bookID: book.id) == [AddressBookTag(name: "c", color: 4_294_967_295)])
        await fixture.peerStore.shutdown()
    }

    @Test func replacingContentsKeepsUnsentFieldsAndColours() async throws {
        let fixture = try await Fixture()
        let store = fixture.store
        let book = try await store.personalBook(ownerID: fixture.alice.id, now: 1)
        _ = try await store.upsertPeer(
            bookID: book.id, AddressBookPeerPatch(id: "1", note: "keep", rdpPort: "3389"), maxPeers: 9, now: 1)
        _ = try await store.upsertPeer(bookID: book.id, AddressBookPeerPatch(id: "2"), maxPeers: 9, now: 1)
        _ = try await store.addTag(bookID: book.id, AddressBookTag(name: "old", color: 7), maxTags: 9, now: 1)
        try await store.replaceContents(
            bookID: book.id, peers: [AddressBookPeerPatch(id: "1", alias: "a"), AddressBookPeerPatch(id: "3")],
            tags: [(name: "old", color: nil), (name: "new", color: nil), (name: "set", color: 9)], now: 2)
        let peers = try await store.allPeers(bookID: book.id)
        #expect(
            peers == [AddressBookPeer(id: "1", alias: "a", note: "keep", rdpPort: "3389"), AddressBookPeer(id: "3")])
        #expect(
            try await store.tags(bookID: book.id) == [
                AddressBookTag(name: "old", color: 7),
                AddressBookTag(name: "new", color: AddressBookTag.defaultColor(for: "new")),
                AddressBookTag(name: "set", color: 9),
            ])
        await fixture.peerStore.shutdown()
    }
}
