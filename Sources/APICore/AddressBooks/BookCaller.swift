/// Who acts on an address book. A user acts by the book's share rules, as the client does. An
/// administrator (an administrator's session, or an API token with `address_book` permission, as
/// ab.py uses) has full control of every shared book; personal books stay private to their owner,
/// so an administrator reaches only their own and a token none (it has no user).
public enum BookCaller: Sendable, Equatable {
    case user(User)
    case administrator(AdminCaller)

    /// The user behind the call; nil for an API token or the local tool.
    public var user: User? {
        switch self {
        case .user(let user): user
        case .administrator(let caller):
            if case .administrator(let user, _) = caller.identity { user } else { nil }
        }
    }
}
