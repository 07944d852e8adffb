/// The legacy single book (http-api.md §3), served from the caller's personal book as lejianwen does,
/// so old clients, the Sciter UI and new clients see the same peers.
extension AddressBookService {
    /// The caller's personal book, whole: every peer and tag with its colour.
    public func legacyBook(for user: User) async throws(AddressBookError) -> LegacyBookContents {
        let book = try await personalBook(for: user)
        let peers = try await storeCall("legacy peers") { () async throws(APIStoreError) in
            try await store.allPeers(bookID: book.id)
        }
        let tags = try await storeCall("legacy tags") { () async throws(APIStoreError) in
            try await store.tags(bookID: book.id)
        }
        return LegacyBookContents(peers: peers.map(listed), tags: tags)
    }

    /// Replaces the caller's personal book with an upload: the peers and tags it names, nothing else.
    /// Fields an old client does not know (note, RDP settings) survive on peers it keeps; a shared
    /// `password` is never stored in a personal book.
    public func replaceLegacyBook(with upload: LegacyBookUpload, for user: User) async throws(AddressBookError) {
        guard upload.peers.count <= limits.peersPerBook else {
            throw .invalid("Too many peers (max \(limits.peersPerBook))")
        }
        guard upload.tags.count <= limits.tagsPerBook else {
            throw .invalid("Too many tags (max \(limits.tagsPerBook))")
        }
        for tag in upload.tags { try limits.validate(tagName: tag) }
        // The last entry for an id wins, in the order of first appearance.
        var patches: [String: AddressBookPeerPatch] = [:]
        var order: [String] = []
        for patch in upload.peers {
            try limits.validate(patch)
            if patches.updateValue(patch.forBook(personal: true), forKey: patch.id) == nil { order.append(patch.id) }
        }
        var seen: Set<String> = []
        let tags = upload.tags.filter { seen.insert($0).inserted }.map { (name: $0, color: upload.colors[$0]) }
        let peers = order.compactMap { patches[$0] }
        let book = try await personalBook(for: user)
        let now = clock.now()
        try await storeCall("legacy upload") { () async throws(APIStoreError) in
            try await store.replaceContents(bookID: book.id, peers: peers, tags: tags, now: now)
        }
    }
}

/// The legacy book as the client downloads it.
public struct LegacyBookContents: Sendable, Equatable {
    public var peers: [ListedPeer]
    public var tags: [AddressBookTag]

    public init(peers: [ListedPeer], tags: [AddressBookTag]) {
        self.peers = peers
        self.tags = tags
    }
}

/// The legacy book as a client uploads it (`POST /api/ab`): peers, tag names, and colours by tag name.
public struct LegacyBookUpload: Sendable, Equatable {
    public var peers: [AddressBookPeerPatch]
    public var tags: [String]
    public var colors: [String: UInt32]

    public init(peers: [AddressBookPeerPatch], tags: [String], colors: [String: UInt32]) {
        self.peers = peers
        self.tags = tags
        self.colors = colors
    }
}
