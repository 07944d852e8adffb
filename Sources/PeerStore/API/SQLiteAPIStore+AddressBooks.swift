import APICore
import GRDB

/// Address books and share rules in `db_v2.sqlite3` (`APIMigrations.addressBooks`); peers and tags are
/// in `SQLiteAPIStore+AddressBookContents.swift`.
extension SQLiteAPIStore: AddressBookStore {
    public func personalBook(ownerID: User.ID, now: Int64) async throws(APIStoreError) -> AddressBook {
        let existing = try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM api_address_book WHERE owner_id = ? AND personal = 1", arguments: [ownerID]
            ).map(AddressBook.init(row:))
        }
        if let existing { return existing }
        let guid = Self.newGUID()
        return try await write { db in
            // Another request may have created it since the read: keep theirs.
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO api_address_book (guid, owner_id, personal, created_at, updated_at)
                    VALUES (?, ?, 1, ?, ?)
                    """,
                arguments: [guid, ownerID, now, now])
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM api_address_book WHERE owner_id = ? AND personal = 1", arguments: [ownerID])
            else { throw APIStoreError.notFound }
            return AddressBook(row: row)
        }
    }

    public func addressBook(guid: String) async throws(APIStoreError) -> AddressBook? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_address_book WHERE guid = ?", arguments: [guid])
                .map(AddressBook.init(row:))
        }
    }

    public func shareRules(bookID: AddressBook.ID) async throws(APIStoreError) -> [BookRule] {
        try await read { db in try Self.rules(bookID: bookID, db) }
    }

    public func sharedBooks(visibleTo userID: User.ID, groupID: UserGroup.ID?) async throws(APIStoreError)
        -> [SharedBookListing]
    {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT b.*, u.name AS owner_name FROM api_address_book b JOIN api_user u ON u.id = b.owner_id
                    WHERE b.personal = 0 AND (b.owner_id = :user OR b.id IN (
                        SELECT book_id FROM api_address_book_rule
                        WHERE user_id = :user OR group_id = :group OR (user_id IS NULL AND group_id IS NULL)))
                    ORDER BY b.name, b.id
                    """,
                arguments: ["user": userID, "group": groupID])
            return try rows.map { row in
                let book = AddressBook(row: row)
                return SharedBookListing(
                    book: book, ownerName: row["owner_name"], rules: try Self.rules(bookID: book.id, db))
            }
        }
    }

    public func insertSharedBook(ownerID: User.ID, name: String, note: String, password: String, now: Int64)
        async throws(APIStoreError) -> AddressBook
    {
        let guid = Self.newGUID()
        return try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO api_address_book (guid, owner_id, personal, name, note, password, created_at, updated_at)
                    VALUES (?, ?, 0, ?, ?, ?, ?, ?)
                    """,
                arguments: [guid, ownerID, name, note, password, now, now])
            return AddressBook(
                id: db.lastInsertedRowID, guid: guid, ownerID: ownerID, isPersonal: false, name: name, note: note,
                password: password, createdAt: now)
        }
    }

    public func setShareRule(bookID: AddressBook.ID, target: ShareTarget, rule: ShareRule?, now: Int64)
        async throws(APIStoreError)
    {
        let (userID, groupID) = Self.columns(of: target)
        // Decided inside the write and thrown outside it: the writer reports errors thrown in a body
        // as SQLite failures.
        let targetExists = try await write { db in
            // A rule for a user or group that does not exist would fail the foreign key; say so plainly.
            if let userID, try !Self.exists("SELECT 1 FROM api_user WHERE id = ?", userID, db) { return false }
            if let groupID, try !Self.exists("SELECT 1 FROM api_user_group WHERE id = ?", groupID, db) {
                return false
            }
            let target: StatementArguments = [bookID, userID ?? 0, groupID ?? 0]
            let matching = "book_id = ? AND ifnull(user_id, 0) = ? AND ifnull(group_id, 0) = ?"
            guard let rule else {
                try db.execute(sql: "DELETE FROM api_address_book_rule WHERE \(matching)", arguments: target)
                return true
            }
            // A rule that changes keeps its guid (ab.py addresses rules by it).
            try db.execute(
                sql: "UPDATE api_address_book_rule SET rule = ? WHERE \(matching)", arguments: [rule.rawValue] + target)
            if db.changesCount == 0 {
                try db.execute(
                    sql: """
                        INSERT INTO api_address_book_rule (guid, book_id, user_id, group_id, rule, created_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [Self.newGUID(), bookID, userID, groupID, rule.rawValue, now])
            }
            return true
        }
        guard targetExists else { throw .notFound }
    }

    @discardableResult
    public func deleteAddressBook(bookID: AddressBook.ID) async throws(APIStoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM api_address_book WHERE id = ?", arguments: [bookID])
            return db.changesCount == 1
        }
    }

    static func rules(bookID: AddressBook.ID, _ db: Database) throws -> [BookRule] {
        try Row.fetchAll(
            db, sql: "SELECT user_id, group_id, rule FROM api_address_book_rule WHERE book_id = ?",
            arguments: [bookID]
        ).compactMap { row in
            guard let rule = ShareRule(rawValue: row["rule"]) else { return nil }
            let target: ShareTarget =
                if let userID: Int64 = row["user_id"] {
                    .user(userID)
                } else if let groupID: Int64 = row["group_id"] {
                    .group(groupID)
                } else {
                    .everyone
                }
            return BookRule(target: target, rule: rule)
        }
    }

    /// Whether `sql` (a `SELECT 1 …` with one argument) finds a row.
    private static func exists(_ sql: String, _ argument: Int64, _ db: Database) throws -> Bool {
        try Row.fetchOne(db, sql: sql, arguments: [argument]) != nil
    }

    private static func columns(of target: ShareTarget) -> (user: Int64?, group: Int64?) {
        switch target {
        case .user(let id): (id, nil)
        case .group(let id): (nil, id)
        case .everyone: (nil, nil)
        }
    }
}

extension AddressBook {
    init(row: Row) {
        self.init(
            id: row["id"], guid: row["guid"], ownerID: row["owner_id"], isPersonal: row["personal"],
            name: row["name"], note: row["note"], password: row["password"], createdAt: row["created_at"])
    }
}
