import APICore
import GRDB

/// ab.py's reads and writes on address books and share rules (`AddressBookAdminStore`).
extension SQLiteAPIStore: AddressBookAdminStore {
    public func sharedBooks(named filter: LikeFilter?, page: PageRequest) async throws(APIStoreError)
        -> Page<OwnedBook>
    {
        var conditions = ["b.personal = 0"]
        var arguments = StatementArguments()
        Self.add(filter, column: "b.name", to: &conditions, &arguments)
        let from = """
            FROM api_address_book b JOIN api_user u ON u.id = b.owner_id WHERE \(conditions.joined(separator: " AND "))
            """
        return try await fetchPage(
            count: "SELECT COUNT(*) \(from)", rows: "SELECT b.*, u.name AS owner_name \(from) ORDER BY b.name, b.id",
            arguments: arguments, page: page
        ) { row in OwnedBook(book: AddressBook(row: row), ownerName: row["owner_name"]) }
    }

    public func peers(bookID: AddressBook.ID, matching filter: AddressBookPeerFilter, page: PageRequest)
        async throws(APIStoreError) -> Page<AddressBookPeer>
    {
        var conditions = ["book_id = ?"]
        var arguments: StatementArguments = [bookID]
        Self.add(filter.id, column: "peer_id", to: &conditions, &arguments)
        Self.add(filter.alias, column: "alias", to: &conditions, &arguments)
        let from = "FROM api_address_book_peer WHERE \(conditions.joined(separator: " AND "))"
        return try await fetchPage(
            count: "SELECT COUNT(*) \(from)", rows: "SELECT * \(from) ORDER BY peer_id", arguments: arguments,
            page: page,
            AddressBookPeer.init(row:))
    }

    public func updateSharedBook(bookID: AddressBook.ID, _ change: SharedBookChange, now: Int64)
        async throws(APIStoreError) -> AddressBook
    {
        var assignments = ["updated_at = ?"]
        var values: [(any DatabaseValueConvertible)?] = [now]
        if let name = change.name { (assignments, values) = (assignments + ["name = ?"], values + [name]) }
        if let note = change.note { (assignments, values) = (assignments + ["note = ?"], values + [note]) }
        if let password = change.password {
            (assignments, values) = (assignments + ["password = ?"], values + [password])
        }
        if let owner = change.ownerID { (assignments, values) = (assignments + ["owner_id = ?"], values + [owner]) }
        let sql = "UPDATE api_address_book SET \(assignments.joined(separator: ", ")) WHERE id = ? AND personal = 0"
        let arguments = StatementArguments(values + [bookID])
        return try await write { db in
            try db.execute(sql: sql, arguments: arguments)
            guard
                db.changesCount == 1,
                let row = try Row.fetchOne(db, sql: "SELECT * FROM api_address_book WHERE id = ?", arguments: [bookID])
            else { throw APIStoreError.notFound }
            return AddressBook(row: row)
        }
    }

    public func firstAdministrator() async throws(APIStoreError) -> User? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_user WHERE is_admin = 1 AND status = 1 ORDER BY id LIMIT 1")
                .map(User.init(row:))
        }
    }

    public func shareRules(bookID: AddressBook.ID, page: PageRequest) async throws(APIStoreError)
        -> Page<ShareRuleListing>
    {
        try await fetchPage(
            count: "SELECT COUNT(*) FROM api_address_book_rule WHERE book_id = ?",
            rows: "\(Self.ruleListing) WHERE r.book_id = ? ORDER BY r.created_at, r.rowid", arguments: [bookID],
            page: page, Self.ruleListing(row:))
    }

    public func shareRule(guid: String) async throws(APIStoreError) -> ShareRuleListing? {
        try await read { db in try Self.shareRule(guid: guid, db) }
    }

    public func insertShareRule(bookID: AddressBook.ID, target: ShareRuleTargetName, rule: ShareRule, now: Int64)
        async throws(APIStoreError) -> ShareRuleAddOutcome
    {
        let guid = Self.newGUID()
        return try await write { db in
            var (userID, groupID): (Int64?, Int64?) = (nil, nil)
            switch target {
            case .user(let name):
                userID = try Int64.fetchOne(db, sql: "SELECT id FROM api_user WHERE name = ?", arguments: [name])
                if userID == nil { return .unknownUser }
            case .group(let name):
                groupID = try Int64.fetchOne(db, sql: "SELECT id FROM api_user_group WHERE name = ?", arguments: [name])
                if groupID == nil { return .unknownGroup }
            case .everyone: break
            }
            let taken = try Row.fetchOne(
                db,
                sql: """
                    SELECT 1 FROM api_address_book_rule
                    WHERE book_id = ? AND ifnull(user_id, 0) = ? AND ifnull(group_id, 0) = ?
                    """,
                arguments: [bookID, userID ?? 0, groupID ?? 0])
            guard taken == nil else { return .exists }
            try db.execute(
                sql: """
                    INSERT INTO api_address_book_rule (guid, book_id, user_id, group_id, rule, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [guid, bookID, userID, groupID, rule.rawValue, now])
            guard let listing = try Self.shareRule(guid: guid, db) else { throw APIStoreError.notFound }
            return .added(listing)
        }
    }

    public func setShareRule(guid: String, rule: ShareRule) async throws(APIStoreError) -> Bool {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_address_book_rule SET rule = ? WHERE guid = ?", arguments: [rule.rawValue, guid])
            return db.changesCount == 1
        }
    }

    @discardableResult
    public func deleteShareRules(guids: [String]) async throws(APIStoreError) -> Int {
        guard !guids.isEmpty else { return 0 }
        let marks = Array(repeating: "?", count: guids.count).joined(separator: ",")
        return try await write { db in
            try db.execute(
                sql: "DELETE FROM api_address_book_rule WHERE guid IN (\(marks))", arguments: StatementArguments(guids))
            return db.changesCount
        }
    }

    /// A rule with its book and the names of whom it names.
    private static let ruleListing = """
        SELECT r.guid, r.rule, r.created_at, b.guid AS book_guid, b.name AS book_name, u.name AS user_name,
            g.name AS group_name
        FROM api_address_book_rule r JOIN api_address_book b ON b.id = r.book_id
        LEFT JOIN api_user u ON u.id = r.user_id LEFT JOIN api_user_group g ON g.id = r.group_id
        """

    private static func shareRule(guid: String, _ db: Database) throws -> ShareRuleListing? {
        try Row.fetchOne(db, sql: "\(ruleListing) WHERE r.guid = ?", arguments: [guid]).map(ruleListing(row:))
    }

    private static func ruleListing(row: Row) -> ShareRuleListing {
        ShareRuleListing(
            guid: row["guid"], bookGUID: row["book_guid"], bookName: row["book_name"], userName: row["user_name"],
            groupName: row["group_name"], rule: ShareRule(rawValue: row["rule"]) ?? .read, createdAt: row["created_at"])
    }
}
