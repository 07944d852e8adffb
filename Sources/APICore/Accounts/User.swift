/// An account of the API server: who logs in from the client, owns a personal address book and devices.
/// `name` is unique without regard to case; so is `email` when set.
public struct User: Sendable, Equatable {
    public typealias ID = Int64

    public var id: ID
    /// The opaque identifier the admin API and audit records use (admin-api.md `guid`).
    public var guid: String
    public var name: String
    public var email: String
    public var displayName: String
    public var note: String
    /// The Argon2id PHC string (`PasswordHasher`); never sent anywhere.
    public var passwordHash: String
    public var isAdmin: Bool
    public var status: UserStatus
    public var groupID: UserGroup.ID?
    /// The TOTP secret when two-factor login is enrolled; nil = password only.
    public var totpSecret: [UInt8]?
    /// The last TOTP time step accepted, so a code is never accepted twice.
    public var totpLastStep: Int64
    /// An administrator requires TOTP (users.py `enable-2fa-enforce`): without an enrolled secret the
    /// login stops before a session is opened.
    public var totpRequired: Bool
    /// Where the user is told to set TOTP up when it is required and missing ("" = no address given).
    public var totpSetupURL: String
    /// Unix seconds.
    public var createdAt: Int64

    public init(
        id: ID, guid: String, name: String, email: String = "", displayName: String = "", note: String = "",
        passwordHash: String, isAdmin: Bool = false, status: UserStatus = .normal, groupID: UserGroup.ID? = nil,
        totpSecret: [UInt8]? = nil, totpLastStep: Int64 = 0, totpRequired: Bool = false, totpSetupURL: String = "",
        createdAt: Int64
    ) {
        self.id = id
        self.guid = guid
        self.name = name
        self.email = email
        self.displayName = displayName
        self.note = note
        self.passwordHash = passwordHash
        self.isAdmin = isAdmin
        self.status = status
        self.groupID = groupID
        self.totpSecret = totpSecret
        self.totpLastStep = totpLastStep
        self.totpRequired = totpRequired
        self.totpSetupURL = totpSetupURL
        self.createdAt = createdAt
    }
}

/// UserPayload `status` (http-api.md §1.6): the client shows disabled and unverified accounts as such.
public enum UserStatus: Int, Sendable, Equatable {
    case disabled = 0
    case normal = 1
    case unverified = -1
}

/// A user group: whose members see each other's devices in the client's group tab.
public struct UserGroup: Sendable, Equatable {
    public typealias ID = Int64

    public var id: ID
    public var guid: String
    public var name: String
    public var note: String

    public init(id: ID, guid: String, name: String, note: String = "") {
        self.id = id
        self.guid = guid
        self.name = name
        self.note = note
    }
}

/// What a new account starts with; the store assigns `id`, `guid` and the times.
public struct NewUser: Sendable, Equatable {
    public var name: String
    public var email: String
    public var passwordHash: String
    public var isAdmin: Bool
    /// Joins (and creates if missing) the user group of this name; nil = `Default`.
    public var groupName: String?
    public var note: String

    public init(
        name: String, email: String = "", passwordHash: String, isAdmin: Bool = false, groupName: String? = nil,
        note: String = ""
    ) {
        self.name = name
        self.email = email
        self.passwordHash = passwordHash
        self.isAdmin = isAdmin
        self.groupName = groupName
        self.note = note
    }
}
