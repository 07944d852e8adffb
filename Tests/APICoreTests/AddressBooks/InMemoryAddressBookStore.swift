import APICore
import Synchronization

/// An `AddressBookStore` in memory, so the service's rules can be tested without SQLite or HTTP.
/// Keeps just enough: books, rules, peers in insertion order, tags.
final class InMemoryAddressBookStore: AddressBookStore {
    private struct State {
        var books: [AddressBook] = []
        var owners: [User.ID: String] = [:]
        var rules: [AddressBook.ID: [BookRule]] = [:]
        var peers: [AddressBook.ID: [AddressBookPeer]] = [:]
        var tags: [AddressBook.ID: [AddressBookTag]] = [:]
        var nextID: Int64 = 1
    }

    /// Guards every table.
    private let state = Mutex(State())

    init(owners: [User]) {
        state.withLock { state in
            for user in owners { state.owners[user.id] = user.name }
        }
    }

    func personalBook(ownerID: User.ID, now: Int64) async throws(APIStoreError) -> AddressBook {
        state.withLock { state in
            if let book = state.books.first(where: { $0.ownerID == ownerID && $0.isPersonal }) { return book }
            let book = AddressBook(
                id: state.nextID, guid: "p\(state.nextID)", ownerID: ownerID, isPersonal: true, createdAt: now)
            state.nextID += 1
            state.books.append(book)
            return book
        }
    }

    func addressBook(guid: String) async throws(APIStoreError) -> AddressBook? {
        state.withLock { $0.books.first { $0.guid == guid } }
    }

    func sharedBook(named name: String) async throws(APIStoreError) -> AddressBook? {
        state.withLock { $0.books.first { !$0.isPersonal && $0.name.lowercased() == name.lowercased() } }
    }

    func shareRules(bookID: AddressBook.ID) async throws(APIStoreError) -> [BookRule] {
        state.withLock { $0.rules[bookID] ?? [] }
    }

    func sharedBooks(visibleTo userID: User.ID, groupID: UserGroup.ID?) async throws(APIStoreError)
        -> [SharedBookListing]
    {
        // Deliberately returns every shared book: the service must filter by the rules itself.
        state.withLock { state in
            state.books.filter { !$0.isPersonal }.sorted { $0.name < $1.name }.map {
                SharedBookListing(book: $0, ownerName: state.owners[$0.ownerID] ?? "", rules: state.rules[$0.id] ?? [])
            }
        }
    }

    func peers(bookID: AddressBook.ID, offset: Int, limit: Int) async throws(APIStoreError)
        -> Page<AddressBookPeer>
    {
        state.withLock { state in
            let all = state.peers[bookID] ?? []
            return Page(total: all.count, items: Array(all.dropFirst(offset).prefix(limit)))
        }
    }

    func allPeers(bookID: AddressBook.ID) async throws(APIStoreError) -> [AddressBookPeer] {
        state.withLock { $0.peers[bookID] ?? [] }
    }

    func tags(bookID: AddressBook.ID) async throws(APIStoreError) -> [AddressBookTag] {
        state.withLock { $0.tags[bookID] ?? [] }
    }

    func upsertPeer(bookID: AddressBook.ID, _ patch: AddressBookPeerPatch, maxPeers: Int, now: Int64)
        async throws(APIStoreError) -> Bool
    {
        state.withLock { state in
            var peers = state.peers[bookID] ?? []
            if let index = peers.firstIndex(where: { $0.id == patch.id }) {
                peers[index] = patch.applied(to: peers[index])
            } else {
                guard peers.count < maxPeers else { return false }
                peers.append(patch.newPeer)
            }
            state.peers[bookID] = peers
            return true
        }
    }

    func mergePeer(
        bookID: AddressBook.ID, id: String, maxPeers: Int, now: Int64,
        _ merge: @escaping @Sendable (AddressBookPeer?) -> AddressBookPeer
    ) async throws(APIStoreError) -> Bool {
        state.withLock { state in
            var peers = state.peers[bookID] ?? []
            if let index = peers.firstIndex(where: { $0.id == id }) {
                peers[index] = merge(peers[index])
                peers[index].id = id
            } else {
                guard peers.count < maxPeers else { return false }
                var peer = merge(nil)
                peer.id = id
                peers.append(peer)
            }
            state.peers[bookID] = peers
            return true
        }
    }

    func updatePeer(bookID: AddressBook.ID, _ patch: AddressBookPeerPatch, now: Int64) async throws(APIStoreError)
        -> Bool
    {
        state.withLock { state in
            guard let index = state.peers[bookID]?.firstIndex(where: { $0.id == patch.id }),
                let peer = state.peers[bookID]?[index]
            else { return false }
            state.peers[bookID]?[index] = patch.applied(to: peer)
            return true
        }
    }

    func deletePeers(bookID: AddressBook.ID, ids: [String], now: Int64) async throws(APIStoreError) -> Int {
        state.withLock { state in
            let before = state.peers[bookID]?.count ?? 0
            state.peers[bookID]?.removeAll { ids.contains($0.id) }
            return before - (state.peers[bookID]?.count ?? 0)
        }
    }

    func addTag(bookID: AddressBook.ID, _ tag: AddressBookTag, maxTags: Int, now: Int64) async throws(APIStoreError)
        -> TagAddOutcome
    {
        state.withLock { state in
            let tags = state.tags[bookID] ?? []
            if tags.contains(where: { $0.name == tag.name }) { return .exists }
            guard tags.count < maxTags else { return .full }
            state.tags[bookID] = tags + [tag]
            return .added
        }
    }

    func renameTag(bookID: AddressBook.ID, from old: String, to new: String, now: Int64)
        async throws(APIStoreError) -> TagRenameOutcome
    {
        state.withLock { state in
            guard let index = state.tags[bookID]?.firstIndex(where: { $0.name == old }) else { return .missing }
            if state.tags[bookID]?.contains(where: { $0.name == new }) == true { return .exists }
            state.tags[bookID]?[index].name = new
            return .renamed
        }
    }

    func setTagColor(bookID: AddressBook.ID, name: String, color: UInt32, now: Int64) async throws(APIStoreError)
        -> Bool
    {
        state.withLock { state in
            guard let index = state.tags[bookID]?.firstIndex(where: { $0.name == name }) else { return false }
            state.tags[bookID]?[index].color = color
            return true
        }
    }

    func deleteTags(bookID: AddressBook.ID, names: [String], now: Int64) async throws(APIStoreError) -> Int {
        state.withLock { state in
            let before = state.tags[bookID]?.count ?? 0
            state.tags[bookID]?.removeAll { names.contains($0.name) }
            return before - (state.tags[bookID]?.count ?? 0)
        }
    }

    func replaceContents(
        bookID: AddressBook.ID, peers: [AddressBookPeerPatch], tags: [(name: String, color: UInt32?)], now: Int64
    ) async throws(APIStoreError) {
        state.withLock { state in
            let old = state.peers[bookID] ?? []
            state.peers[bookID] = peers.map { patch in
                patch.applied(to: old.first { $0.id == patch.id } ?? AddressBookPeer(id: patch.id))
            }
            state.tags[bookID] = tags.map {
                AddressBookTag(name: $0.name, color: $0.color ?? AddressBookTag.defaultColor(for: $0.name))
            }
        }
    }

    func insertSharedBook(ownerID: User.ID, name: String, note: String, password: String, now: Int64)
        async throws(APIStoreError) -> AddressBook
    {
        try state.withLock { (state) throws(APIStoreError) -> AddressBook in
            if state.books.contains(where: { !$0.isPersonal && $0.name.lowercased() == name.lowercased() }) {
                throw .conflict
            }
            let book = AddressBook(
                id: state.nextID, guid: "s\(state.nextID)", ownerID: ownerID, isPersonal: false, name: name,
                note: note, password: password, createdAt: now)
            state.nextID += 1
            state.books.append(book)
            return book
        }
    }

    func setShareRule(bookID: AddressBook.ID, target: ShareTarget, rule: ShareRule?, now: Int64)
        async throws(APIStoreError)
    {
        state.withLock { state in
            var rules = state.rules[bookID] ?? []
            rules.removeAll { $0.target == target }
            if let rule { rules.append(BookRule(target: target, rule: rule)) }
            state.rules[bookID] = rules
        }
    }

    func deleteAddressBook(bookID: AddressBook.ID) async throws(APIStoreError) -> Bool {
        state.withLock { state in
            let before = state.books.count
            state.books.removeAll { $0.id == bookID }
            return state.books.count < before
        }
    }
}
