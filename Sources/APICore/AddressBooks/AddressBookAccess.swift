/// Who may do what with a book, as plain code: the owner has full control; nobody else sees a
/// personal book; on a shared book a user holds the best rule among those naming them, their user
/// group or everyone, and no rule means the book is invisible to them. An administrator has full
/// control of every shared book (`BookCaller`).
public enum AddressBookAccess {
    /// The rule `caller` holds on `book` given the book's `rules` (only a user's needs them).
    public static func rule(of caller: BookCaller, on book: AddressBook, rules: [BookRule]) -> ShareRule? {
        switch caller {
        case .user(let user): rule(of: user, on: book, rules: rules)
        case .administrator:
            if let user = caller.user, book.ownerID == user.id {
                .fullControl
            } else if book.isPersonal {
                nil
            } else {
                .fullControl
            }
        }
    }

    /// The rule `user` holds on `book` given the book's `rules`, or nil when the book is not theirs to see.
    public static func rule(of user: User, on book: AddressBook, rules: [BookRule]) -> ShareRule? {
        if book.ownerID == user.id { return .fullControl }
        if book.isPersonal { return nil }
        return rules.lazy.filter { applies($0.target, to: user) }.map(\.rule).max()
    }

    /// Whether a rule naming `target` concerns `user`.
    public static func applies(_ target: ShareTarget, to user: User) -> Bool {
        switch target {
        case .user(let id): id == user.id
        case .group(let id): user.groupID == id
        case .everyone: true
        }
    }

    /// Whether holding `rule` allows `operation`.
    public static func allows(_ rule: ShareRule, _ operation: BookOperation) -> Bool {
        rule >= operation.requiredRule
    }
}

/// What a request does to a book, for the permission check.
public enum BookOperation: Sendable, Equatable {
    /// List peers and tags.
    case read
    /// Add, update or delete peers; add, rename, recolour or delete tags (correction 5: deletes need
    /// only read/write, because the client offers them to every writer).
    case write

    public var requiredRule: ShareRule {
        switch self {
        case .read: .read
        case .write: .readWrite
        }
    }
}
