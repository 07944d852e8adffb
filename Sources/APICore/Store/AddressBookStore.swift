/// Where address books, their peers, tags and share rules live (http-api.md §3, §4). Every write
/// returns once it has committed; checks that must be atomic with a write (a book's size, a duplicate
/// tag) happen inside it and come back as the outcome.
public protocol AddressBookStore: Sendable {
    /// The owner's personal book, created on first use.
    func personalBook(ownerID: User.ID, now: Int64) async throws(APIStoreError) -> AddressBook
    func addressBook(guid: String) async throws(APIStoreError) -> AddressBook?
    /// The shared book of this name, ignoring case (names are unique that way).
    func sharedBook(named name: String) async throws(APIStoreError) -> AddressBook?
    func shareRules(bookID: AddressBook.ID) async throws(APIStoreError) -> [BookRule]
    /// Shared books that `userID` owns or that a rule names for the user, `groupID` or everyone, by
    /// name, each with its owner's name and all its rules.
    func sharedBooks(visibleTo userID: User.ID, groupID: UserGroup.ID?) async throws(APIStoreError)
        -> [SharedBookListing]

    /// One page of the book's peers in a stable order, and how many it holds.
    func peers(bookID: AddressBook.ID, offset: Int, limit: Int) async throws(APIStoreError)
        -> Page<AddressBookPeer>
    func allPeers(bookID: AddressBook.ID) async throws(APIStoreError) -> [AddressBookPeer]
    /// The book's tags in the order they were added.
    func tags(bookID: AddressBook.ID) async throws(APIStoreError) -> [AddressBookTag]

    /// Adds the peer, or applies the patch to the one with its id; false (nothing written) when the
    /// peer is new and the book already holds `maxPeers`.
    func upsertPeer(bookID: AddressBook.ID, _ patch: AddressBookPeerPatch, maxPeers: Int, now: Int64)
        async throws(APIStoreError) -> Bool
    /// Sets the peer `id` to what `merge` makes of the stored one (nil when the book lacks it), in one
    /// write; false (nothing written) when it is new and the book already holds `maxPeers`.
    func mergePeer(
        bookID: AddressBook.ID, id: String, maxPeers: Int, now: Int64,
        _ merge: @escaping @Sendable (AddressBookPeer?) -> AddressBookPeer
    ) async throws(APIStoreError) -> Bool
    /// Applies the patch; false when the book has no peer with its id.
    func updatePeer(bookID: AddressBook.ID, _ patch: AddressBookPeerPatch, now: Int64) async throws(APIStoreError)
        -> Bool
    /// Removes these peers (unknown ids are ignored); returns how many went.
    @discardableResult
    func deletePeers(bookID: AddressBook.ID, ids: [String], now: Int64) async throws(APIStoreError) -> Int

    func addTag(bookID: AddressBook.ID, _ tag: AddressBookTag, maxTags: Int, now: Int64) async throws(APIStoreError)
        -> TagAddOutcome
    /// Renames the tag, in the tag list and on every peer that carries it.
    func renameTag(bookID: AddressBook.ID, from old: String, to new: String, now: Int64)
        async throws(APIStoreError) -> TagRenameOutcome
    /// Sets the colour; false when the book has no such tag.
    func setTagColor(bookID: AddressBook.ID, name: String, color: UInt32, now: Int64) async throws(APIStoreError)
        -> Bool
    /// Removes these tags from the tag list and from every peer; returns how many tags went.
    @discardableResult
    func deleteTags(bookID: AddressBook.ID, names: [String], now: Int64) async throws(APIStoreError) -> Int

    /// Replaces every peer and tag of the book in one transaction (the legacy book's upload). A peer
    /// the book held keeps the fields its patch does not carry; a tag without a colour keeps its old
    /// one, or gets `AddressBookTag.defaultColor`.
    func replaceContents(
        bookID: AddressBook.ID, peers: [AddressBookPeerPatch], tags: [(name: String, color: UInt32?)], now: Int64
    ) async throws(APIStoreError)

    /// Creates a shared book; `.conflict` when a shared book of this name (ignoring case) exists.
    func insertSharedBook(ownerID: User.ID, name: String, note: String, password: String, now: Int64)
        async throws(APIStoreError) -> AddressBook
    /// Sets what `target` holds on the book, or with nil removes that rule.
    func setShareRule(bookID: AddressBook.ID, target: ShareTarget, rule: ShareRule?, now: Int64)
        async throws(APIStoreError)
    /// Deletes the book with its peers, tags and rules; false when it did not exist.
    @discardableResult
    func deleteAddressBook(bookID: AddressBook.ID) async throws(APIStoreError) -> Bool
}

public enum TagAddOutcome: Sendable, Equatable {
    case added
    case exists
    /// The book already holds the most tags it may.
    case full
}

public enum TagRenameOutcome: Sendable, Equatable {
    case renamed
    case missing
    /// The new name is taken by another tag.
    case exists
}
