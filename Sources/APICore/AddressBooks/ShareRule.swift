/// What a share rule grants on a shared book (http-api.md §4): the client's rule values 1, 2 and 3.
/// Ordered, so the best of several rules is their maximum.
public enum ShareRule: Int, Sendable, Comparable, CaseIterable {
    case read = 1
    /// Add, change and delete peers and tags (correction 5: the client offers deletes to writers).
    case readWrite = 2
    /// Everything `readWrite` allows; the client gates nothing more on it.
    case fullControl = 3

    public static func < (lhs: ShareRule, rhs: ShareRule) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Whom a share rule names.
public enum ShareTarget: Sendable, Hashable {
    case user(User.ID)
    case group(UserGroup.ID)
    case everyone
}

/// One share rule of a book: `target` holds `rule` on it.
public struct BookRule: Sendable, Equatable {
    public var target: ShareTarget
    public var rule: ShareRule

    public init(target: ShareTarget, rule: ShareRule) {
        self.target = target
        self.rule = rule
    }
}
