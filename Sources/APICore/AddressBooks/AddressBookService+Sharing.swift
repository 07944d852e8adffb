/// Shared books and their rules. No client call creates them; the admin API does
/// (`AddressBookAdministration`, ab.py), and tests use these to set up sharing.
extension AddressBookService {
    /// Names the client gives its own books; a shared book of such a name would replace them in its
    /// list, because the client keys books by name.
    public static let reservedBookNames: Set<String> = ["My address book", "Legacy address book"]

    /// Creates a shared book owned by `ownerID`; its name must be unique on the server.
    public func createSharedBook(ownerID: User.ID, name: String, note: String = "", password: String = "")
        async throws(AddressBookError) -> AddressBook
    {
        try validateProfile(name: name, note: note, password: password)
        let now = clock.now()
        do {
            let book = try await store.insertSharedBook(
                ownerID: ownerID, name: name, note: note, password: password, now: now)
            logger.info("shared address book created", metadata: ["book": "\(book.guid)", "owner": "\(ownerID)"])
            return book
        } catch APIStoreError.conflict {
            throw .nameTaken
        } catch {
            logger.error("address book store failed", metadata: ["what": "create book", "error": "\(error)"])
            throw .unavailable
        }
    }

    /// Checks a shared book's name, note and password (nil: not being set).
    func validateProfile(name: String?, note: String?, password: String?) throws(AddressBookError) {
        if let name {
            guard !name.isEmpty, name.count <= limits.bookNameLength else {
                throw .invalid("A book name of 1 to \(limits.bookNameLength) characters is required")
            }
            guard !Self.reservedBookNames.contains(name) else { throw .invalid("This book name is reserved") }
        }
        guard (note ?? "").count <= limits.noteLength, (password ?? "").count <= limits.secretLength else {
            throw .invalid("Book note or password is too long")
        }
    }

    /// Gives `target` the rule `rule` on the shared book `guid` (replacing what it held).
    public func setRule(bookGUID guid: String, target: ShareTarget, rule: ShareRule) async throws(AddressBookError) {
        try await changeRule(guid, target: target, rule: rule)
    }

    /// Takes `target`'s rule on the shared book away.
    public func removeRule(bookGUID guid: String, target: ShareTarget) async throws(AddressBookError) {
        try await changeRule(guid, target: target, rule: nil)
    }

    /// Deletes a shared book with its peers, tags and rules.
    public func deleteSharedBook(guid: String) async throws(AddressBookError) {
        let book = try await sharedBook(guid)
        try await storeCall("delete book") { () async throws(APIStoreError) in
            try await store.deleteAddressBook(bookID: book.id)
        }
        logger.info("shared address book deleted", metadata: ["book": "\(guid)"])
    }

    private func changeRule(_ guid: String, target: ShareTarget, rule: ShareRule?) async throws(AddressBookError) {
        let book = try await sharedBook(guid)
        let now = clock.now()
        do {
            try await store.setShareRule(bookID: book.id, target: target, rule: rule, now: now)
        } catch APIStoreError.notFound {
            // The user or group the rule names does not exist.
            throw .invalid("No such user or group")
        } catch {
            logger.error("address book store failed", metadata: ["what": "share rule", "error": "\(error)"])
            throw .unavailable
        }
    }

    /// The shared book `guid`: `.bookNotFound`, or `.invalid` for a personal book.
    func sharedBook(_ guid: String) async throws(AddressBookError) -> AddressBook {
        let found = try await storeCall("book") { () async throws(APIStoreError) in
            try await store.addressBook(guid: guid)
        }
        guard let book = found else { throw .bookNotFound }
        guard !book.isPersonal else { throw .invalid("Personal address books cannot be shared") }
        return book
    }
}
