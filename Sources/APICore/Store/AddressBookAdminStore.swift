/// What ab.py's side of the admin API needs from the store beyond `AddressBookStore`: every shared
/// book by name, filtered peer lists, profile changes, and share rules addressed by their own guid.
public protocol AddressBookAdminStore: Sendable {
    /// One page of all shared books by name, each with its owner's name.
    func sharedBooks(named filter: LikeFilter?, page: PageRequest) async throws(APIStoreError) -> Page<OwnedBook>
    /// One page of the book's peers that match the filter, in the order of `peers(bookID:offset:limit:)`.
    func peers(bookID: AddressBook.ID, matching filter: AddressBookPeerFilter, page: PageRequest)
        async throws(APIStoreError) -> Page<AddressBookPeer>
    /// Applies the change to a shared book and returns it; `.conflict` when the new name is taken.
    func updateSharedBook(bookID: AddressBook.ID, _ change: SharedBookChange, now: Int64) async throws(APIStoreError)
        -> AddressBook
    /// The enabled administrator who has existed longest: the owner of books an API token creates.
    func firstAdministrator() async throws(APIStoreError) -> User?

    /// One page of the book's rules, oldest first.
    func shareRules(bookID: AddressBook.ID, page: PageRequest) async throws(APIStoreError) -> Page<ShareRuleListing>
    func shareRule(guid: String) async throws(APIStoreError) -> ShareRuleListing?
    /// Adds a rule for the user or group of that name (or everyone), resolved inside the write.
    func insertShareRule(bookID: AddressBook.ID, target: ShareRuleTargetName, rule: ShareRule, now: Int64)
        async throws(APIStoreError) -> ShareRuleAddOutcome
    /// Sets the rule's grant; false when no rule has this guid.
    func setShareRule(guid: String, rule: ShareRule) async throws(APIStoreError) -> Bool
    /// Deletes these rules; returns how many went.
    @discardableResult
    func deleteShareRules(guids: [String]) async throws(APIStoreError) -> Int
}

/// A shared book with its owner's name, as ab.py's `view-ab` lists it.
public struct OwnedBook: Sendable, Equatable {
    public var book: AddressBook
    public var ownerName: String

    public init(book: AddressBook, ownerName: String) {
        self.book = book
        self.ownerName = ownerName
    }
}

/// ab.py `view-peer`'s filters on a book's peers (nil: no filter).
public struct AddressBookPeerFilter: Sendable, Equatable {
    public var id: LikeFilter?
    public var alias: LikeFilter?

    public init(id: LikeFilter? = nil, alias: LikeFilter? = nil) {
        self.id = id
        self.alias = alias
    }
}

/// What ab.py `update-ab` changes on a shared book; nil fields stay.
public struct SharedBookChange: Sendable, Equatable {
    public var name: String?
    public var note: String?
    public var password: String?
    public var ownerID: User.ID?

    public init(name: String? = nil, note: String? = nil, password: String? = nil, ownerID: User.ID? = nil) {
        self.name = name
        self.note = note
        self.password = password
        self.ownerID = ownerID
    }
}

/// A share rule as ab.py lists it: its own guid, its book, whom it names and what it grants.
public struct ShareRuleListing: Sendable, Equatable {
    public var guid: String
    public var bookGUID: String
    public var bookName: String
    /// The user or user group it names by name; neither: everyone.
    public var userName: String?
    public var groupName: String?
    public var rule: ShareRule
    public var createdAt: Int64

    public init(
        guid: String, bookGUID: String, bookName: String, userName: String?, groupName: String?, rule: ShareRule,
        createdAt: Int64
    ) {
        self.guid = guid
        self.bookGUID = bookGUID
        self.bookName = bookName
        self.userName = userName
        self.groupName = groupName
        self.rule = rule
        self.createdAt = createdAt
    }

    /// Whom it names, for the audit and logs: `user:erin`, `group:support` or `everyone`.
    public var targetText: String {
        if let userName { "user:\(userName)" } else if let groupName { "group:\(groupName)" } else { "everyone" }
    }
}

/// Whom a new rule names, by name (ab.py `add-rule` sends names, not guids).
public enum ShareRuleTargetName: Sendable, Equatable {
    case user(String)
    case group(String)
    case everyone
}

public enum ShareRuleAddOutcome: Sendable, Equatable {
    case added(ShareRuleListing)
    /// The book already has a rule for this user, group or everyone.
    case exists
    case unknownUser
    case unknownGroup
}
