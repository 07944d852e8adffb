import APICore
import GRDB

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The peers and tags of address books. Checks that must hold with the write (a book's size, a
/// duplicate tag) run inside the write's savepoint, so two requests cannot both pass them.
extension SQLiteAPIStore {
    public func peers(bookID: AddressBook.ID, offset: Int, limit: Int) async throws(APIStoreError)
        -> Page<AddressBookPeer>
    {
        try await read { db in
            let total = try Self.peerCount(bookID: bookID, db)
            let peers = try Row.fetchAll(
                db, sql: "SELECT * FROM api_address_book_peer WHERE book_id = ? ORDER BY peer_id LIMIT ? OFFSET ?",
                arguments: [bookID, limit, offset]
            ).map(AddressBookPeer.init(row:))
            return Page(total: total, items: peers)
        }
    }

    public func allPeers(bookID: AddressBook.ID) async throws(APIStoreError) -> [AddressBookPeer] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM api_address_book_peer WHERE book_id = ? ORDER BY peer_id", arguments: [bookID]
            ).map(AddressBookPeer.init(row:))
        }
    }

    public func tags(bookID: AddressBook.ID) async throws(APIStoreError) -> [AddressBookTag] {
        try await read { db in try Self.tags(bookID: bookID, db) }
    }

    public func upsertPeer(bookID: AddressBook.ID, _ patch: AddressBookPeerPatch, maxPeers: Int, now: Int64)
        async throws(APIStoreError) -> Bool
    {
        try await write { db in
            if let existing = try Self.peer(bookID: bookID, id: patch.id, db) {
                try Self.save(patch.applied(to: existing), bookID: bookID, now: now, db)
                return true
            }
            guard try Self.peerCount(bookID: bookID, db) < maxPeers else { return false }
            try Self.save(patch.newPeer, bookID: bookID, now: now, db)
            return true
        }
    }

    public func updatePeer(bookID: AddressBook.ID, _ patch: AddressBookPeerPatch, now: Int64)
        async throws(APIStoreError) -> Bool
    {
        try await write { db in
            guard let existing = try Self.peer(bookID: bookID, id: patch.id, db) else { return false }
            try Self.save(patch.applied(to: existing), bookID: bookID, now: now, db)
            return true
        }
    }

    @discardableResult
    public func deletePeers(bookID: AddressBook.ID, ids: [String], now: Int64) async throws(APIStoreError) -> Int {
        try await write { db in
            var deleted = 0
            for id in Set(ids) {
                try db.execute(
                    sql: "DELETE FROM api_address_book_peer WHERE book_id = ? AND peer_id = ?", arguments: [bookID, id])
                deleted += db.changesCount
            }
            return deleted
        }
    }

    public func addTag(bookID: AddressBook.ID, _ tag: AddressBookTag, maxTags: Int, now: Int64)
        async throws(APIStoreError) -> TagAddOutcome
    {
        try await write { db in
            if try Self.tagExists(bookID: bookID, name: tag.name, db) { return .exists }
            let count =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM api_address_book_tag WHERE book_id = ?", arguments: [bookID])
                ?? 0
            guard count < maxTags else { return .full }
            try Self.insertTag(tag, bookID: bookID, now: now, db)
            return .added
        }
    }

    public func renameTag(bookID: AddressBook.ID, from old: String, to new: String, now: Int64)
        async throws(APIStoreError) -> TagRenameOutcome
    {
        try await write { db in
            guard try Self.tagExists(bookID: bookID, name: old, db) else { return .missing }
            if try Self.tagExists(bookID: bookID, name: new, db) { return .exists }
            try db.execute(
                sql: "UPDATE api_address_book_tag SET name = ? WHERE book_id = ? AND name = ?",
                arguments: [new, bookID, old])
            try Self.retagPeers(bookID: bookID, now: now, db) { tags in
                var renamed: [String] = []
                for tag in tags where !renamed.contains(tag == old ? new : tag) {
                    renamed.append(tag == old ? new : tag)
                }
                return renamed
            }
            return .renamed
        }
    }

    public func setTagColor(bookID: AddressBook.ID, name: String, color: UInt32, now: Int64)
        async throws(APIStoreError) -> Bool
    {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_address_book_tag SET color = ? WHERE book_id = ? AND name = ?",
                arguments: [Int64(color), bookID, name])
            return db.changesCount == 1
        }
    }

    @discardableResult
    public func deleteTags(bookID: AddressBook.ID, names: [String], now: Int64) async throws(APIStoreError) -> Int {
        let doomed = Set(names)
        return try await write { db in
            var deleted = 0
            for name in doomed {
                try db.execute(
                    sql: "DELETE FROM api_address_book_tag WHERE book_id = ? AND name = ?", arguments: [bookID, name])
                deleted += db.changesCount
            }
            try Self.retagPeers(bookID: bookID, now: now, db) { tags in tags.filter { !doomed.contains($0) } }
            return deleted
        }
    }

    public func replaceContents(
        bookID: AddressBook.ID, peers: [AddressBookPeerPatch], tags: [(name: String, color: UInt32?)], now: Int64
    ) async throws(APIStoreError) {
        try await write { db in
            var existing: [String: AddressBookPeer] = [:]
            for peer in try Row.fetchAll(
                db, sql: "SELECT * FROM api_address_book_peer WHERE book_id = ?", arguments: [bookID]
            ).map(AddressBookPeer.init(row:)) {
                existing[peer.id] = peer
            }
            let oldColors = Dictionary(
                try Self.tags(bookID: bookID, db).map { ($0.name, $0.color) }, uniquingKeysWith: { first, _ in first })
            try db.execute(sql: "DELETE FROM api_address_book_peer WHERE book_id = ?", arguments: [bookID])
            try db.execute(sql: "DELETE FROM api_address_book_tag WHERE book_id = ?", arguments: [bookID])
            for patch in peers {
                try Self.save(
                    patch.applied(to: existing[patch.id] ?? AddressBookPeer(id: patch.id)), bookID: bookID, now: now, db
                )
            }
            for tag in tags {
                let color = tag.color ?? oldColors[tag.name] ?? AddressBookTag.defaultColor(for: tag.name)
                try Self.insertTag(AddressBookTag(name: tag.name, color: color), bookID: bookID, now: now, db)
            }
        }
    }

    // MARK: Rows

    static func peerCount(bookID: AddressBook.ID, _ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_address_book_peer WHERE book_id = ?", arguments: [bookID])
            ?? 0
    }

    static func peer(bookID: AddressBook.ID, id: String, _ db: Database) throws -> AddressBookPeer? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM api_address_book_peer WHERE book_id = ? AND peer_id = ?", arguments: [bookID, id]
        ).map(AddressBookPeer.init(row:))
    }

    /// Inserts or replaces the whole row; `created_at` survives a replacement.
    static func save(_ peer: AddressBookPeer, bookID: AddressBook.ID, now: Int64, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO api_address_book_peer (book_id, peer_id, hash, password, username, hostname, platform,
                    alias, note, tags, force_always_relay, rdp_port, rdp_username, login_name, device_group_name,
                    created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (book_id, peer_id) DO UPDATE SET hash = excluded.hash, password = excluded.password,
                    username = excluded.username, hostname = excluded.hostname, platform = excluded.platform,
                    alias = excluded.alias, note = excluded.note, tags = excluded.tags,
                    force_always_relay = excluded.force_always_relay, rdp_port = excluded.rdp_port,
                    rdp_username = excluded.rdp_username, login_name = excluded.login_name,
                    device_group_name = excluded.device_group_name, updated_at = excluded.updated_at
                """,
            arguments: [
                bookID, peer.id, peer.hash, peer.password, peer.username, peer.hostname, peer.platform, peer.alias,
                peer.note, encodeTags(peer.tags), peer.forceAlwaysRelay, peer.rdpPort, peer.rdpUsername,
                peer.loginName, peer.deviceGroupName, now, now,
            ])
    }

    /// Rewrites the tags of every peer of the book whose tags `change` alters.
    private static func retagPeers(
        bookID: AddressBook.ID, now: Int64, _ db: Database, change: ([String]) -> [String]
    ) throws {
        let rows = try Row.fetchAll(
            db, sql: "SELECT peer_id, tags FROM api_address_book_peer WHERE book_id = ?", arguments: [bookID])
        for row in rows {
            let tags = decodeTags(row["tags"])
            let changed = change(tags)
            guard changed != tags else { continue }
            try db.execute(
                sql: "UPDATE api_address_book_peer SET tags = ?, updated_at = ? WHERE book_id = ? AND peer_id = ?",
                arguments: [encodeTags(changed), now, bookID, row["peer_id"] as String])
        }
    }

    private static func tags(bookID: AddressBook.ID, _ db: Database) throws -> [AddressBookTag] {
        try Row.fetchAll(
            db, sql: "SELECT name, color FROM api_address_book_tag WHERE book_id = ? ORDER BY id", arguments: [bookID]
        ).map { row in AddressBookTag(name: row["name"], color: UInt32(truncatingIfNeeded: row["color"] as Int64)) }
    }

    private static func tagExists(bookID: AddressBook.ID, name: String, _ db: Database) throws -> Bool {
        try Row.fetchOne(
            db, sql: "SELECT 1 FROM api_address_book_tag WHERE book_id = ? AND name = ?", arguments: [bookID, name])
            != nil
    }

    private static func insertTag(_ tag: AddressBookTag, bookID: AddressBook.ID, now: Int64, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO api_address_book_tag (book_id, name, color, created_at) VALUES (?, ?, ?, ?)",
            arguments: [bookID, tag.name, Int64(tag.color), now])
    }

    static func encodeTags(_ tags: [String]) -> String {
        guard let data = try? JSONEncoder().encode(tags) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A stored tag list; anything unreadable counts as no tags rather than failing the whole list.
    static func decodeTags(_ text: String?) -> [String] {
        guard let text, let tags = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else { return [] }
        return tags
    }
}

extension AddressBookPeer {
    init(row: Row) {
        self.init(
            id: row["peer_id"], hash: row["hash"], password: row["password"], username: row["username"],
            hostname: row["hostname"], platform: row["platform"], alias: row["alias"], note: row["note"],
            tags: SQLiteAPIStore.decodeTags(row["tags"]), forceAlwaysRelay: row["force_always_relay"],
            rdpPort: row["rdp_port"], rdpUsername: row["rdp_username"], loginName: row["login_name"],
            deviceGroupName: row["device_group_name"])
    }
}
