import APICore
import Testing

/// Pagination clamps, tag colours, peer patches and the limits on what a request may carry.
struct AddressBookValuesTests {
    @Test(
        arguments: [
            (nil, nil, 1, 100), (0, 0, 1, 1), (-5, -5, 1, 1), (3, 100, 3, 100),
            (1_000_000_000, 1_000_000_000, 1_000_000, 1000),
            (Int.max, Int.max, 1_000_000, 1000), (Int.min, Int.min, 1, 1),
        ] as [(Int?, Int?, Int, Int)])
    func pagesAreClampedToSaneValues(_ current: Int?, _ size: Int?, _ expectedCurrent: Int, _ expectedSize: Int) {
        let page = PageRequest(current: current, pageSize: size)
        #expect(page.current == expectedCurrent)
        #expect(page.size == expectedSize)
        #expect(page.offset == (expectedCurrent - 1) * expectedSize)
    }

    @Test(
        arguments: [
            (Int64(0), UInt32?.some(0)), (4_294_901_760, 4_294_901_760), (4_294_967_295, 4_294_967_295),
            (-65536, 4_294_901_760), (-1, 4_294_967_295), (Int64(Int32.min), 2_147_483_648),
            (4_294_967_296, nil), (Int64(Int32.min) - 1, nil), (Int64.max, nil),
        ] as [(Int64, UInt32?)])
    func tagColoursAreUnsigned32BitARGB(_ sent: Int64, _ stored: UInt32?) {
        #expect(AddressBookTag.color(fromJSON: sent) == stored)
    }

    @Test func defaultColoursAreOpaqueAndDifferByName() {
        let work = AddressBookTag.defaultColor(for: "work")
        #expect(work >> 24 == 0xFF)
        #expect(work == AddressBookTag.defaultColor(for: "work"))
        #expect(work != AddressBookTag.defaultColor(for: "home"))
    }

    @Test func aPatchChangesOnlyTheFieldsItCarries() {
        let stored = AddressBookPeer(id: "1", hash: "h", username: "u", alias: "old", note: "n", tags: ["a"])
        let patch = AddressBookPeerPatch(id: "1", alias: "new", tags: [], forceAlwaysRelay: true)
        let changed = patch.applied(to: stored)
        #expect(changed.alias == "new")
        #expect(changed.tags == [])
        #expect(changed.forceAlwaysRelay)
        #expect(changed.hash == "h")
        #expect(changed.username == "u")
        #expect(changed.note == "n")
        #expect(patch.newPeer == AddressBookPeer(id: "1", alias: "new", forceAlwaysRelay: true))
    }

    @Test func personalBooksKeepHashesAndSharedBooksKeepPasswords() {
        let patch = AddressBookPeerPatch(id: "1", hash: "h", password: "p")
        #expect(patch.forBook(personal: true).hash == "h")
        #expect(patch.forBook(personal: true).password == nil)
        #expect(patch.forBook(personal: false).hash == nil)
        #expect(patch.forBook(personal: false).password == "p")
    }

    @Test(arguments: [
        (AddressBookPeerPatch(id: ""), "Peer id is required"),
        (AddressBookPeerPatch(id: String(repeating: "9", count: 257)), "Peer id is too long"),
        (AddressBookPeerPatch(id: "1", alias: String(repeating: "a", count: 257)), "Peer alias is too long"),
        (AddressBookPeerPatch(id: "1", note: String(repeating: "a", count: 4097)), "Peer note is too long"),
        (AddressBookPeerPatch(id: "1", tags: Array(repeating: "t", count: 101)), "Too many tags on a peer (max 100)"),
        (AddressBookPeerPatch(id: "1", tags: [""]), "Tag name is required"),
    ])
    func oversizedOrEmptyFieldsAreRefusedByName(_ patch: AddressBookPeerPatch, _ message: String) {
        #expect(throws: AddressBookError.invalid(message)) { try AddressBookLimits().validate(patch) }
    }

    @Test func ordinaryPeersPassValidation() throws {
        try AddressBookLimits().validate(
            AddressBookPeerPatch(
                id: "123456789", hash: String(repeating: "h", count: 44), alias: "office", note: "n", tags: ["a", "b"]))
    }
}
