import APICore
import GRDB

/// What deployment presets need of the address-book tables: a shared book by name, and a peer changed
/// by a rule the service supplies, read and written in one write so no concurrent change slips between.
extension SQLiteAPIStore {
    public func sharedBook(named name: String) async throws(APIStoreError) -> AddressBook? {
        try await read { db in
            // `name` is COLLATE NOCASE, as is the unique index on shared names.
            try Row.fetchOne(
                db, sql: "SELECT * FROM api_address_book WHERE personal = 0 AND name = ?", arguments: [name]
            ).map(AddressBook.init(row:))
        }
    }

    public func mergePeer(
        bookID: AddressBook.ID, id: String, maxPeers: Int, now: Int64,
        _ merge: @escaping @Sendable (AddressBookPeer?) -> AddressBookPeer
    ) async throws(APIStoreError) -> Bool {
        try await write { db in
            let stored = try Self.peer(bookID: bookID, id: id, db)
            if stored == nil, try Self.peerCount(bookID: bookID, db) >= maxPeers { return false }
            var peer = merge(stored)
            peer.id = id
            guard peer != stored else { return true }
            try Self.save(peer, bookID: bookID, now: now, db)
            return true
        }
    }
}
