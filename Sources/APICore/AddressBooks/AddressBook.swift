/// An address book (http-api.md §4): a user's personal book, or a shared book an administrator made
/// and shares through rules. The client knows a book only by its opaque `guid`; shared books also by
/// `name`, which is why shared names are unique on the whole server.
public struct AddressBook: Sendable, Equatable {
    public typealias ID = Int64

    public var id: ID
    public var guid: String
    public var ownerID: User.ID
    /// Personal books are never shared: only their owner sees them.
    public var isPersonal: Bool
    /// Empty for personal books (the client names those itself).
    public var name: String
    public var note: String
    /// Shared books: the default password the client offers for new peers (AbProfile `info.password`).
    public var password: String
    /// Unix seconds.
    public var createdAt: Int64

    public init(
        id: ID, guid: String, ownerID: User.ID, isPersonal: Bool, name: String = "", note: String = "",
        password: String = "", createdAt: Int64
    ) {
        self.id = id
        self.guid = guid
        self.ownerID = ownerID
        self.isPersonal = isPersonal
        self.name = name
        self.note = note
        self.password = password
        self.createdAt = createdAt
    }
}

/// A shared book as a caller sees it in `POST /api/ab/shared/profiles`: the book, its owner's name
/// and the rule the caller holds on it.
public struct SharedBookProfile: Sendable, Equatable {
    public var book: AddressBook
    public var ownerName: String
    public var rule: ShareRule

    public init(book: AddressBook, ownerName: String, rule: ShareRule) {
        self.book = book
        self.ownerName = ownerName
        self.rule = rule
    }
}

/// A shared book as the store lists it for a caller: the book, its owner's name and every rule on it
/// (the service decides which of them applies).
public struct SharedBookListing: Sendable, Equatable {
    public var book: AddressBook
    public var ownerName: String
    public var rules: [BookRule]

    public init(book: AddressBook, ownerName: String, rules: [BookRule]) {
        self.book = book
        self.ownerName = ownerName
        self.rules = rules
    }
}
