import APICore

/// UserPayload (http-api.md §1.6): the account as the client shows it. `info` is always an object
/// (the Rust client's OIDC path requires it), `status` an int.
struct UserPayload: Encodable, Equatable {
    let name: String
    let displayName: String
    let email: String
    let note: String
    let status: Int
    let isAdmin: Bool
    let info: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case name, email, note, status, info
        case displayName = "display_name"
        case isAdmin = "is_admin"
    }

    init(_ user: User) {
        name = user.name
        displayName = user.displayName
        email = user.email
        note = user.note
        status = user.status.rawValue
        isAdmin = user.isAdmin
    }
}
