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

/// A user in users.py's list (admin-api.md §2): `UserPayload`'s fields, which the group tab also
/// shows, and the ones an administrator manages by (`guid`, group, second factor, creation time).
struct AdminUserPayload: Encodable, Equatable {
    let user: UserPayload
    let guid: String
    let groupName: String
    let hasTOTP: Bool
    /// `enable-2fa-enforce` is on for this user.
    let totpRequired: Bool
    let createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case guid
        case groupName = "group_name"
        case hasTOTP = "tfa_enabled"
        case totpRequired = "tfa_enforced"
        case createdAt = "created_at"
    }

    init(_ listing: UserListing) {
        user = UserPayload(listing.user)
        guid = listing.user.guid
        groupName = listing.groupName
        hasTOTP = listing.user.totpSecret != nil
        totpRequired = listing.user.totpRequired
        createdAt = listing.user.createdAt
    }

    func encode(to encoder: any Encoder) throws {
        try user.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(guid, forKey: .guid)
        try container.encode(groupName, forKey: .groupName)
        try container.encode(hasTOTP, forKey: .hasTOTP)
        try container.encode(totpRequired, forKey: .totpRequired)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
