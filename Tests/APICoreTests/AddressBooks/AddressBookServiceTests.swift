import APICore
import Logging
import Testing

/// The service's decisions over an in-memory store: which book a caller may open, what a rule lets
/// them change, how personal and shared books treat passwords, and the legacy upload's bounds.
struct AddressBookServiceTests {
    static let admin = User(id: 1, guid: "u1", name: "admin", passwordHash: "", isAdmin: true, createdAt: 0)
    static let bob = User(id: 2, guid: "u2", name: "bob", passwordHash: "", groupID: 10, createdAt: 0)
    static let carol = User(id: 3, guid: "u3", name: "carol", passwordHash: "", createdAt: 0)

    let service: AddressBookService

    init() {
        let store = InMemoryAddressBookStore(owners: [Self.admin, Self.bob, Self.carol])
        var logger = Logger(label: "test-books")
        logger.logLevel = .critical
        service = AddressBookService(
            store: store, devices: BookTestDevices(registered: ["111111111"]), clock: APIClock { 1_780_000_000 },
            limits: AddressBookLimits(peersPerBook: 3, tagsPerBook: 2), logger: logger)
    }

    @Test func thePersonalBookIsMadeOnceAndOnlyItsOwnerOpensIt() async throws {
        let book = try await service.personalBook(for: Self.bob)
        #expect(try await service.personalBook(for: Self.bob) == book)
        #expect(book.isPersonal)
        try await service.addPeer(AddressBookPeerPatch(id: "111111111"), toBook: book.guid, for: .user(Self.bob))
        await #expect(throws: AddressBookError.forbidden) {
            _ = try await service.tags(inBook: book.guid, for: .user(Self.carol))
        }
        await #expect(throws: AddressBookError.forbidden) {
            try await service.deletePeers(["111111111"], fromBook: book.guid, for: .user(Self.admin))
        }
    }

    @Test func unknownAndAbsurdGuidsAreNotFound() async {
        for guid in ["", "nope", String(repeating: "x", count: 100_000)] {
            await #expect(throws: AddressBookError.bookNotFound) {
                _ = try await service.tags(inBook: guid, for: .user(Self.bob))
            }
        }
    }

    @Test func aReadRuleListsButChangesNothing() async throws {
        let book = try await service.createSharedBook(ownerID: Self.admin.id, name: "team")
        try await service.addPeer(AddressBookPeerPatch(id: "1"), toBook: book.guid, for: .user(Self.admin))
        try await service.setRule(bookGUID: book.guid, target: .user(Self.bob.id), rule: .read)
        let listed = try await service.peers(
            inBook: book.guid, for: .user(Self.bob), page: PageRequest(current: 1, pageSize: 100))
        #expect(listed.page.items.map(\.peer.id) == ["1"])
        await #expect(throws: AddressBookError.readOnly) {
            try await service.addPeer(AddressBookPeerPatch(id: "2"), toBook: book.guid, for: .user(Self.bob))
        }
        await #expect(throws: AddressBookError.readOnly) {
            try await service.deletePeers(["1"], fromBook: book.guid, for: .user(Self.bob))
        }
        await #expect(throws: AddressBookError.readOnly) {
            try await service.deleteTags(["x"], fromBook: book.guid, for: .user(Self.bob))
        }
        await #expect(throws: AddressBookError.forbidden) {
            _ = try await service.tags(inBook: book.guid, for: .user(Self.carol))
        }
    }

    @Test func aGroupRuleWithReadWriteAllowsDeletes() async throws {
        let book = try await service.createSharedBook(ownerID: Self.admin.id, name: "team")
        try await service.setRule(bookGUID: book.guid, target: .group(10), rule: .readWrite)
        try await service.addPeer(AddressBookPeerPatch(id: "1"), toBook: book.guid, for: .user(Self.bob))
        try await service.addTag(AddressBookTag(name: "t", color: 1), toBook: book.guid, for: .user(Self.bob))
        try await service.deletePeers(["1"], fromBook: book.guid, for: .user(Self.bob))
        try await service.deleteTags(["t"], fromBook: book.guid, for: .user(Self.bob))
        #expect(try await service.tags(inBook: book.guid, for: .user(Self.bob)).isEmpty)
    }

    @Test func profilesListOnlyVisibleBooksWithTheBestRule() async throws {
        let team = try await service.createSharedBook(ownerID: Self.admin.id, name: "team", password: "pw")
        let secret = try await service.createSharedBook(ownerID: Self.admin.id, name: "secret")
        let all = try await service.createSharedBook(ownerID: Self.admin.id, name: "all")
        try await service.setRule(bookGUID: team.guid, target: .user(Self.bob.id), rule: .read)
        try await service.setRule(bookGUID: team.guid, target: .group(10), rule: .readWrite)
        try await service.setRule(bookGUID: all.guid, target: .everyone, rule: .read)
        let page = PageRequest(current: 1, pageSize: 100)
        let bobs = try await service.sharedProfiles(for: Self.bob, page: page)
        #expect(bobs.total == 2)
        #expect(bobs.items.map(\.book.name) == ["all", "team"])
        #expect(bobs.items.map(\.rule) == [.read, .readWrite])
        #expect(bobs.items.allSatisfy { $0.ownerName == "admin" })
        let admins = try await service.sharedProfiles(for: Self.admin, page: page)
        #expect(admins.items.map(\.book.guid) == [all.guid, secret.guid, team.guid])
        #expect(admins.items.allSatisfy { $0.rule == .fullControl })
        let second = try await service.sharedProfiles(for: Self.admin, page: PageRequest(current: 2, pageSize: 2))
        #expect(second.total == 3)
        #expect(second.items.map(\.book.guid) == [team.guid])
        let beyond = try await service.sharedProfiles(for: Self.admin, page: PageRequest(current: 99, pageSize: 2))
        #expect(beyond.items.isEmpty)
    }

    @Test func sharedBooksNeedAFreeUnreservedName() async throws {
        _ = try await service.createSharedBook(ownerID: Self.admin.id, name: "team")
        await #expect(throws: AddressBookError.nameTaken) {
            _ = try await service.createSharedBook(ownerID: Self.bob.id, name: "TEAM")
        }
        await #expect(throws: AddressBookError.invalid("This book name is reserved")) {
            _ = try await service.createSharedBook(ownerID: Self.admin.id, name: "My address book")
        }
        let personal = try await service.personalBook(for: Self.bob)
        await #expect(throws: AddressBookError.invalid("Personal address books cannot be shared")) {
            try await service.setRule(bookGUID: personal.guid, target: .everyone, rule: .read)
        }
    }

    @Test func personalBooksDropPasswordsAndSharedBooksDropHashes() async throws {
        let personal = try await service.personalBook(for: Self.bob)
        let shared = try await service.createSharedBook(ownerID: Self.bob.id, name: "mine")
        let patch = AddressBookPeerPatch(id: "111111111", hash: "h", password: "p")
        try await service.addPeer(patch, toBook: personal.guid, for: .user(Self.bob))
        try await service.addPeer(patch, toBook: shared.guid, for: .user(Self.bob))
        let page = PageRequest(current: 1, pageSize: 10)
        let mine = try await service.peers(inBook: personal.guid, for: .user(Self.bob), page: page).page.items
        #expect(mine.map(\.peer.hash) == ["h"])
        #expect(mine.map(\.peer.password) == [""])
        #expect(mine.map(\.sameServer) == [true])
        let ours = try await service.peers(inBook: shared.guid, for: .user(Self.bob), page: page).page.items
        #expect(ours.map(\.peer.hash) == [""])
        #expect(ours.map(\.peer.password) == ["p"])
    }

    @Test func aFullBookRefusesNewPeersAndTagsButUpdatesExistingOnes() async throws {
        let book = try await service.personalBook(for: Self.bob)
        for id in ["1", "2", "3"] {
            try await service.addPeer(AddressBookPeerPatch(id: id), toBook: book.guid, for: .user(Self.bob))
        }
        await #expect(throws: AddressBookError.full("Address book is full (max 3 peers)")) {
            try await service.addPeer(AddressBookPeerPatch(id: "4"), toBook: book.guid, for: .user(Self.bob))
        }
        try await service.addPeer(
            AddressBookPeerPatch(id: "3", alias: "again"), toBook: book.guid, for: .user(Self.bob))
        try await service.addTag(AddressBookTag(name: "a", color: 1), toBook: book.guid, for: .user(Self.bob))
        await #expect(throws: AddressBookError.tagExists) {
            try await service.addTag(AddressBookTag(name: "a", color: 2), toBook: book.guid, for: .user(Self.bob))
        }
        try await service.addTag(AddressBookTag(name: "b", color: 1), toBook: book.guid, for: .user(Self.bob))
        await #expect(throws: AddressBookError.full("Too many tags (max 2)")) {
            try await service.addTag(AddressBookTag(name: "c", color: 1), toBook: book.guid, for: .user(Self.bob))
        }
        await #expect(throws: AddressBookError.peerNotFound) {
            try await service.updatePeer(
                AddressBookPeerPatch(id: "9", alias: "x"), inBook: book.guid, for: .user(Self.bob))
        }
    }

    @Test func theLegacyUploadIsBoundedAndServedFromThePersonalBook() async throws {
        let tooMany = LegacyBookUpload(
            peers: (0..<4).map { AddressBookPeerPatch(id: "\($0)") }, tags: [], colors: [:])
        await #expect(throws: AddressBookError.invalid("Too many peers (max 3)")) {
            try await service.replaceLegacyBook(with: tooMany, for: Self.bob)
        }
        let upload = LegacyBookUpload(
            peers: [
                AddressBookPeerPatch(id: "1", password: "never"), AddressBookPeerPatch(id: "2"),
                AddressBookPeerPatch(id: "1", alias: "last wins"),
            ],
            tags: ["x", "x"], colors: ["x": 4_294_901_760])
        try await service.replaceLegacyBook(with: upload, for: Self.bob)
        let contents = try await service.legacyBook(for: Self.bob)
        #expect(contents.peers.map(\.peer.id) == ["1", "2"])
        #expect(contents.peers.first?.peer.alias == "last wins")
        #expect(contents.peers.allSatisfy { $0.peer.password.isEmpty })
        #expect(contents.tags == [AddressBookTag(name: "x", color: 4_294_901_760)])
        let personal = try await service.personalBook(for: Self.bob)
        let page = try await service.peers(
            inBook: personal.guid, for: .user(Self.bob), page: PageRequest(current: 1, pageSize: 10))
        #expect(page.page.total == 2)
    }
}

/// `RegisteredDevices` with a fixed set of IDs.
struct BookTestDevices: RegisteredDevices {
    let registered: Set<String>

    func isRegistered(id: String) -> Bool { registered.contains(id) }
    func matches(id: String, uuidBase64: String) -> Bool { false }
    func isOnline(id: String) -> Bool { false }
}
