/// Why an address-book request failed, with the short text the client shows (http-api.md §0.4).
public enum AddressBookError: Error, Sendable, Equatable {
    /// No book has this guid.
    case bookNotFound
    /// The caller may not see the book.
    case forbidden
    /// The caller may see the book but not change it.
    case readOnly
    case peerNotFound
    case tagNotFound
    case tagExists
    /// A shared book of this name exists.
    case nameTaken
    /// No share rule has this guid (ab.py `update-rule`, `delete-rule`).
    case ruleNotFound
    /// The book already has a rule for this user, group or everyone (ab.py `add-rule`).
    case ruleExists
    /// The book holds the most peers or tags it may.
    case full(String)
    /// The request names something impossible (an empty id, a field too long, a bad colour).
    case invalid(String)
    /// The store did not answer; details are logged, not sent.
    case unavailable

    public var message: String {
        switch self {
        case .bookNotFound: "Address book not found"
        case .forbidden: "Permission denied"
        case .readOnly: "No write permission for this address book"
        case .peerNotFound: "Peer not found"
        case .tagNotFound: "Tag not found"
        case .tagExists: "Tag already exists"
        case .nameTaken: "An address book with this name already exists"
        case .ruleNotFound: "Rule not found"
        case .ruleExists: "The address book already has a rule for this user, group or everyone"
        case .full(let text), .invalid(let text): text
        case .unavailable: "Server busy, please try again"
        }
    }
}
