import Logging

/// Address books for the client (http-api.md §3, §4): the caller's personal book (made on first
/// use), the shared books whose rules name them, and every change to peers and tags, each checked
/// against `AddressBookAccess`. Used by the client API's address-book routes, for users and for
/// administrators (`BookCaller`); `AddressBookAdministration` adds ab.py's book and rule management.
public struct AddressBookService: Sendable {
    public let store: any AddressBookStore
    /// hbbs's registry, for a listed peer's `same_server`.
    public let devices: any RegisteredDevices
    /// What devices reported about themselves, for peer fields the book lacks.
    public let deviceNames: any DeviceNames
    public let clock: APIClock
    public let limits: AddressBookLimits
    /// Where administrators' changes to shared books are recorded (nil: not recorded, in unit tests).
    let audit: ConsoleAuditLog?
    let logger: Logger

    public init(
        store: any AddressBookStore, devices: any RegisteredDevices, deviceNames: any DeviceNames = NoDeviceNames(),
        clock: APIClock = .system, limits: AddressBookLimits = AddressBookLimits(), audit: ConsoleAuditLog? = nil,
        logger: Logger
    ) {
        self.store = store
        self.audit = audit
        self.devices = devices
        self.deviceNames = deviceNames
        self.clock = clock
        self.limits = limits
        self.logger = logger
    }

    // MARK: Reading

    /// The caller's personal book, created on the first call (so `POST /api/ab/personal` never says 404).
    public func personalBook(for user: User) async throws(AddressBookError) -> AddressBook {
        let now = clock.now()
        return try await storeCall("personal book") { () async throws(APIStoreError) in
            try await store.personalBook(ownerID: user.id, now: now)
        }
    }

    /// One page of the shared books the caller sees, by name, with the rule they hold on each.
    public func sharedProfiles(for user: User, page: PageRequest) async throws(AddressBookError)
        -> Page<SharedBookProfile>
    {
        let listings = try await storeCall("shared books") { () async throws(APIStoreError) in
            try await store.sharedBooks(visibleTo: user.id, groupID: user.groupID)
        }
        let visible = listings.compactMap { listing -> SharedBookProfile? in
            guard let rule = AddressBookAccess.rule(of: user, on: listing.book, rules: listing.rules) else {
                return nil
            }
            return SharedBookProfile(book: listing.book, ownerName: listing.ownerName, rule: rule)
        }
        let items = visible.dropFirst(min(page.offset, visible.count)).prefix(page.size)
        return Page(total: visible.count, items: Array(items))
    }

    /// One page of a book's peers, and whether the book is personal (which decides `hash` or `password`).
    public func peers(inBook guid: String, for caller: BookCaller, page: PageRequest) async throws(AddressBookError)
        -> (book: AddressBook, page: Page<ListedPeer>)
    {
        let book = try await open(guid, for: caller, toDo: .read)
        let slice = try await storeCall("peers") { () async throws(APIStoreError) in
            try await store.peers(bookID: book.id, offset: page.offset, limit: page.size)
        }
        return (book, Page(total: slice.total, items: slice.items.map(listed)))
    }

    public func tags(inBook guid: String, for caller: BookCaller) async throws(AddressBookError) -> [AddressBookTag] {
        let book = try await open(guid, for: caller, toDo: .read)
        return try await storeCall("tags") { () async throws(APIStoreError) in try await store.tags(bookID: book.id) }
    }

    // MARK: Helpers

    /// The book `guid` if `caller` may do `operation` on it: `.bookNotFound` for an unknown guid,
    /// `.forbidden` when they may not see it (never its contents), `.readOnly` when they may only read.
    func open(_ guid: String, for caller: BookCaller, toDo operation: BookOperation) async throws(AddressBookError)
        -> AddressBook
    {
        // GUIDs are ours (36 characters); anything long is not one and need not reach the store.
        guard !guid.isEmpty, guid.utf8.count <= 64 else { throw .bookNotFound }
        let found = try await storeCall("book") { () async throws(APIStoreError) in
            try await store.addressBook(guid: guid)
        }
        guard let book = found else { throw .bookNotFound }
        // Only a user's access depends on the rules, and not on their own or a personal book.
        var rules: [BookRule] = []
        if case .user(let user) = caller, !book.isPersonal, book.ownerID != user.id {
            rules = try await storeCall("rules") { () async throws(APIStoreError) in
                try await store.shareRules(bookID: book.id)
            }
        }
        guard let rule = AddressBookAccess.rule(of: caller, on: book, rules: rules) else { throw .forbidden }
        guard AddressBookAccess.allows(rule, operation) else { throw .readOnly }
        return book
    }

    /// Records an administrator's change to a shared book in the console audit (a user's own changes,
    /// and anyone's to a personal book, are not administration).
    func recordAdministration(
        _ action: ConsoleAction, by caller: BookCaller, on book: AddressBook, _ details: [(String, String)]
    ) async {
        guard case .administrator(let administrator) = caller, !book.isPersonal, let audit else { return }
        await audit.record(action, by: administrator, pairs: [("address_book", book.name)] + details)
    }

    /// The peer as lists show it: empty names filled from what the device reported (memory only).
    func listed(_ peer: AddressBookPeer) -> ListedPeer {
        var peer = peer
        if let names = deviceNames.names(ofDevice: peer.id) { peer.fill(from: names) }
        return ListedPeer(peer: peer, sameServer: devices.isRegistered(id: peer.id))
    }

    /// Runs a store call, logging a failure and answering `.unavailable` (no store text reaches a client).
    @discardableResult
    func storeCall<T: Sendable>(_ what: String, _ body: () async throws(APIStoreError) -> T)
        async throws(AddressBookError) -> T
    {
        do {
            return try await body()
        } catch {
            logger.error("address book store failed", metadata: ["what": "\(what)", "error": "\(error)"])
            throw .unavailable
        }
    }
}
