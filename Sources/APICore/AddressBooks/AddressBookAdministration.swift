import Logging

/// ab.py's side of the admin API (admin-api.md §2): every shared book listed, created, changed and
/// deleted, peers listed with filters, and share rules managed by their own guid
/// (`AddressBookAdministration+Rules.swift`). Peer and tag changes go through `AddressBookService`
/// with `BookCaller.administrator`, which records them. Every change here is recorded in the console
/// audit after it committed. Names that ab.py sends (a book's owner, a rule's user or group) are
/// resolved here without asking for the token's `user` permission: they only name whom a book
/// concerns, and nothing about that user or group is read back beyond the name itself (so a
/// read-write token learns whether a name exists, and no more).
public struct AddressBookAdministration: Sendable {
    public let books: AddressBookService
    let store: any AddressBookAdminStore
    let accounts: any AccountStore
    let audit: ConsoleAuditLog
    let logger: Logger

    /// The most guids one delete takes.
    public static let maxGuidsPerDelete = 1000

    public init(
        books: AddressBookService, store: any AddressBookAdminStore, accounts: any AccountStore,
        audit: ConsoleAuditLog, logger: Logger
    ) {
        self.books = books
        self.store = store
        self.accounts = accounts
        self.audit = audit
        self.logger = logger
    }

    // MARK: Books

    /// One page of every shared book, by name; an administrator holds full control on each.
    public func profiles(named filter: LikeFilter?, page: PageRequest) async throws(AddressBookError)
        -> Page<SharedBookProfile>
    {
        let found = try await books.storeCall("shared books") { () async throws(APIStoreError) in
            try await store.sharedBooks(named: filter, page: page)
        }
        let items = found.items.map { SharedBookProfile(book: $0.book, ownerName: $0.ownerName, rule: .fullControl) }
        return Page(total: found.total, items: items)
    }

    /// ab.py `add-ab`: a new shared book, owned by the administrator whose session made it; a token
    /// has no user, so its books go to the oldest enabled administrator (an owner is required, and
    /// ab.py can hand the book to someone else with `update-ab --owner`).
    public func createBook(name: String, note: String, password: String, by caller: AdminCaller)
        async throws(AddressBookError) -> AddressBook
    {
        let owner: User.ID
        if let user = BookCaller.administrator(caller).user {
            owner = user.id
        } else {
            let first = try await books.storeCall("first administrator") { () async throws(APIStoreError) in
                try await store.firstAdministrator()
            }
            guard let first else { throw .invalid("No enabled administrator to own the address book") }
            owner = first.id
        }
        let book = try await books.createSharedBook(ownerID: owner, name: name, note: note, password: password)
        await audit.record(.addAddressBook, by: caller, ["address_book": book.name, "guid": book.guid])
        return book
    }

    /// ab.py `update-ab`: any of name, note, default password and owner (a user's name).
    public func updateBook(
        guid: String, name: String?, note: String?, password: String?, ownerName: String?, by caller: AdminCaller
    ) async throws(AddressBookError) -> AddressBook {
        let book = try await books.sharedBook(guid)
        try books.validateProfile(name: name, note: note, password: password)
        var change = SharedBookChange(name: name, note: note, password: password)
        if let ownerName {
            let owner = try await books.storeCall("owner") { () async throws(APIStoreError) in
                try await accounts.user(named: ownerName)
            }
            guard let owner else { throw .invalid("No such user: \(ownerName)") }
            change.ownerID = owner.id
        }
        let now = books.clock.now()
        let updated: AddressBook
        do {
            updated = try await store.updateSharedBook(bookID: book.id, change, now: now)
        } catch .conflict {
            throw .nameTaken
        } catch .notFound {
            // Deleted since it was read.
            throw .bookNotFound
        } catch {
            logger.error("address book store failed", metadata: ["what": "update book", "error": "\(error)"])
            throw .unavailable
        }
        var details: [(String, String)] = [("address_book", book.name)]
        if let name, name != book.name { details.append(("new_name", name)) }
        if note != nil { details.append(("note", "changed")) }
        if password != nil { details.append(("password", "changed")) }
        if let ownerName { details.append(("owner", ownerName)) }
        let renamed = name.map { $0 != book.name } ?? false
        await audit.record(renamed ? .renameAddressBook : .updateAddressBook, by: caller, pairs: details)
        return updated
    }

    /// ab.py `delete-ab`: deletes these shared books with their peers, tags and rules. Every guid must
    /// name a shared book, or nothing is deleted.
    public func deleteBooks(guids: [String], by caller: AdminCaller) async throws(AddressBookError) {
        guard guids.count <= Self.maxGuidsPerDelete else { throw .invalid("Too many guids in one request") }
        var found: [AddressBook] = []
        for guid in Self.distinct(guids) { found.append(try await books.sharedBook(guid)) }
        for book in found {
            try await books.deleteSharedBook(guid: book.guid)
            await audit.record(.deleteAddressBook, by: caller, ["address_book": book.name, "guid": book.guid])
        }
    }

    /// The guids in their order, each once (a repeated guid would be audited twice).
    static func distinct(_ guids: [String]) -> [String] {
        var seen: Set<String> = []
        return guids.filter { seen.insert($0).inserted }
    }

    // MARK: Peers

    /// ab.py `view-peer`: one page of a book's peers matching `filter`.
    public func peers(
        inBook guid: String, matching filter: AddressBookPeerFilter, page: PageRequest, by caller: AdminCaller
    ) async throws(AddressBookError) -> (book: AddressBook, page: Page<ListedPeer>) {
        let book = try await books.open(guid, for: .administrator(caller), toDo: .read)
        let slice = try await books.storeCall("peers") { () async throws(APIStoreError) in
            try await store.peers(bookID: book.id, matching: filter, page: page)
        }
        return (book, Page(total: slice.total, items: slice.items.map(books.listed)))
    }
}
