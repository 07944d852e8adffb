import Logging
import Testing

@testable import APICore

/// The address books' two links to the devices area, over an in-memory store: deployment presets
/// put a device into a shared book without any user's rule, and lists fill a peer's empty names from
/// what its device reported.
struct AddressBookDeviceTests {
    static let admin = User(id: 1, guid: "u1", name: "admin", passwordHash: "", isAdmin: true, createdAt: 0)
    static let bob = User(id: 2, guid: "u2", name: "bob", passwordHash: "", createdAt: 0)
    static let page = PageRequest(current: 1, pageSize: 100)
    static let kiosk = PeerNames(username: "kiosk-user", hostname: "kiosk-01", os: "windows / Windows 11 Pro - 22631")

    let service: AddressBookService

    init() {
        var logger = Logger(label: "test-book-devices")
        logger.logLevel = .critical
        service = AddressBookService(
            store: InMemoryAddressBookStore(owners: [Self.admin, Self.bob]), devices: BookTestDevices(registered: []),
            deviceNames: FixedDeviceNames(names: ["111": Self.kiosk]), clock: APIClock { 1_780_000_000 },
            limits: AddressBookLimits(peersPerBook: 2, tagsPerBook: 1), logger: logger)
    }

    func peers(_ book: AddressBook) async throws -> [AddressBookPeer] {
        try await service.peers(inBook: book.guid, for: .user(Self.admin), page: Self.page).page.items.map(\.peer)
    }

    // MARK: Presets

    @Test func aPresetAddsTheDeviceWithItsTagAliasPasswordNoteAndNames() async throws {
        let book = try await service.createSharedBook(ownerID: Self.admin.id, name: "Branch Office")
        let preset = AddressBookPreset(
            name: "branch office", tag: "kiosks", alias: "front desk", password: "pw", note: "deployed")
        #expect(await service.applyDevicePreset(deviceID: "111", preset: preset) == .applied)
        let peer = try #require(try await peers(book).first)
        #expect(peer.alias == "front desk")
        #expect(peer.password == "pw")
        #expect(peer.note == "deployed")
        #expect(peer.tags == ["kiosks"])
        #expect(peer.hash.isEmpty)
        #expect([peer.username, peer.hostname, peer.platform] == ["kiosk-user", "kiosk-01", "Windows"])
        let tags = try await service.tags(inBook: book.guid, for: .user(Self.admin))
        #expect(tags == [AddressBookTag(name: "kiosks", color: AddressBookTag.defaultColor(for: "kiosks"))])
    }

    @Test func aRepeatedPresetKeepsWhatUsersChangedAndNeverDuplicates() async throws {
        let book = try await service.createSharedBook(ownerID: Self.admin.id, name: "Branch")
        let preset = AddressBookPreset(name: "Branch", tag: "kiosks", alias: "front desk", note: "deployed")
        #expect(await service.applyDevicePreset(deviceID: "111", preset: preset) == .applied)
        try await service.updatePeer(
            AddressBookPeerPatch(id: "111", alias: "renamed", note: "", tags: ["moved"]), inBook: book.guid,
            for: .user(Self.admin))
        #expect(await service.applyDevicePreset(deviceID: "111", preset: preset) == .applied)
        let stored = try await peers(book)
        #expect(stored.count == 1)
        #expect(stored.first?.alias == "renamed")
        #expect(stored.first?.tags == ["moved"])
        // Emptied by a user, so the preset fills it again.
        #expect(stored.first?.note == "deployed")
    }

    @Test func aPresetNamingNoSharedBookCreatesNothing() async throws {
        let personal = try await service.personalBook(for: Self.bob)
        #expect(
            await service.applyDevicePreset(deviceID: "111", preset: AddressBookPreset(name: "Nowhere")) == .noSuchBook)
        // A personal book has no name a preset could use.
        #expect(await service.applyDevicePreset(deviceID: "111", preset: AddressBookPreset(name: "")) == .invalid)
        let profiles = try await service.sharedProfiles(for: Self.admin, page: Self.page)
        #expect(profiles.total == 0)
        #expect(try await service.peers(inBook: personal.guid, for: .user(Self.bob), page: Self.page).page.total == 0)
    }

    @Test func aPresetRespectsTheBookLimits() async throws {
        let book = try await service.createSharedBook(ownerID: Self.admin.id, name: "Small")
        try await service.addTag(AddressBookTag(name: "taken", color: 1), toBook: book.guid, for: .user(Self.admin))
        // The book holds its one tag: the device is added without the preset's tag.
        #expect(
            await service.applyDevicePreset(deviceID: "111", preset: AddressBookPreset(name: "Small", tag: "new"))
                == .applied)
        #expect(try await peers(book).first?.tags == [])
        #expect(await service.applyDevicePreset(deviceID: "222", preset: AddressBookPreset(name: "Small")) == .applied)
        #expect(await service.applyDevicePreset(deviceID: "333", preset: AddressBookPreset(name: "Small")) == .bookFull)
        let long = AddressBookPreset(name: "Small", alias: String(repeating: "a", count: 10_000))
        #expect(await service.applyDevicePreset(deviceID: "111", preset: long) == .invalid)
        #expect(try await peers(book).map(\.id) == ["111", "222"])
    }

    // MARK: Names

    @Test func listsFillOnlyEmptyNamesFromTheDevice() async throws {
        let book = try await service.createSharedBook(ownerID: Self.admin.id, name: "Team")
        try await service.upsertForTest(AddressBookPeerPatch(id: "111", hostname: "typed"), book)
        try await service.upsertForTest(AddressBookPeerPatch(id: "999"), book)
        let listed = try await peers(book)
        #expect(listed.map(\.hostname) == ["typed", ""])
        #expect(listed.map(\.username) == ["kiosk-user", ""])
        #expect(listed.map(\.platform) == ["Windows", ""])
    }

    @Test func anAddWithoutNamesStoresTheDevicesNames() async throws {
        let personal = try await service.personalBook(for: Self.bob)
        try await service.addPeer(
            AddressBookPeerPatch(id: "111", username: "", alias: "kiosk"), toBook: personal.guid, for: .user(Self.bob))
        try await service.addPeer(
            AddressBookPeerPatch(id: "999", hostname: "sent"), toBook: personal.guid, for: .user(Self.bob))
        let stored = try await service.store.allPeers(bookID: personal.id)
        #expect(stored.map(\.username) == ["kiosk-user", ""])
        #expect(stored.map(\.hostname) == ["kiosk-01", "sent"])
        #expect(stored.map(\.platform) == ["Windows", ""])
        let legacy = try await service.legacyBook(for: Self.bob)
        #expect(legacy.peers.map(\.peer.hostname) == ["kiosk-01", "sent"])
    }

    @Test func platformsAreSpelledAsTheClientSpellsThem() {
        let cases: [(String, String)] = [
            ("windows / Windows 10 Pro - 19045", "Windows"), ("Linux / Ubuntu 24.04", "Linux"),
            ("macos / 14.5", "Mac OS"), ("android / 14", "Android"), ("ubuntu-linux 22.04", "Linux"),
            ("ios / 17", ""), ("", ""), ("windows", "Windows"),
        ]
        for (os, platform) in cases {
            #expect(PeerNames.platform(fromOS: os) == platform, "\(os)")
        }
        let long = PeerNames(username: String(repeating: "u", count: 500), hostname: "h", os: "linux")
        #expect(long.username.count == PeerNames.maxLength)
    }

    @Test func theDeviceDirectoryAnswersNamesFromItsEntries() {
        let directory = DeviceDirectory()
        directory.apply(DeviceDirectoryEntry(id: "1", names: Self.kiosk, revision: 1))
        directory.apply(DeviceDirectoryEntry(id: "2", revision: 1))
        #expect(directory.names(ofDevice: "1") == Self.kiosk)
        #expect(directory.names(ofDevice: "2") == nil)
        #expect(directory.names(ofDevice: "3") == nil)
    }
}

/// Device names from a fixed table.
struct FixedDeviceNames: DeviceNames {
    let names: [String: PeerNames]

    func names(ofDevice id: String) -> PeerNames? { names[id] }
}

extension AddressBookService {
    /// Stores a peer as given, bypassing the add route's name filling.
    func upsertForTest(_ patch: AddressBookPeerPatch, _ book: AddressBook) async throws {
        _ = try await store.upsertPeer(bookID: book.id, patch, maxPeers: 100, now: 0)
    }
}
