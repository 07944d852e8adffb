import RustDeskCore

/// An API token for scripts and tools (issue 13; RustDesk's `res/*.py` admin scripts, `rustdesk
/// --assign`): a name, what it may do, and its lifetime. Like a session, only the SHA-256 of its text
/// is stored; the text is shown once, when it is made.
public struct APIToken: Sendable, Equatable {
    public typealias ID = Int64

    public var id: ID
    public var guid: String
    public var name: String
    public var tokenDigest: [UInt8]
    public var permissions: APIPermissions
    /// Unix seconds.
    public var createdAt: Int64
    /// nil: never expires.
    public var expiresAt: Int64?
    public var lastUsedAt: Int64?
    /// When it was revoked; a revoked token stays listed, and refused.
    public var revokedAt: Int64?
    /// Who made it (`rustdesk-utils`, or the administrator's name).
    public var createdBy: String

    public init(
        id: ID, guid: String, name: String, tokenDigest: [UInt8], permissions: APIPermissions, createdAt: Int64,
        expiresAt: Int64?, lastUsedAt: Int64?, revokedAt: Int64?, createdBy: String
    ) {
        self.id = id
        self.guid = guid
        self.name = name
        self.tokenDigest = tokenDigest
        self.permissions = permissions
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
        self.createdBy = createdBy
    }

    public func isUsable(at now: Int64) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }
}

/// A token to insert: everything but the id and guid the store assigns.
public struct NewAPIToken: Sendable, Equatable {
    public var name: String
    public var tokenDigest: [UInt8]
    public var permissions: APIPermissions
    public var expiresAt: Int64?
    public var createdBy: String

    public init(
        name: String, tokenDigest: [UInt8], permissions: APIPermissions, expiresAt: Int64?, createdBy: String
    ) {
        self.name = name
        self.tokenDigest = tokenDigest
        self.permissions = permissions
        self.expiresAt = expiresAt
        self.createdBy = createdBy
    }
}

/// The text of an API token: `rdapi_` and 256 random bits in unpadded base64url. The prefix tells it
/// from a session token without a lookup, and lets secret scanners recognise a leaked one.
public enum APITokenText {
    public static let prefix = "rdapi_"

    public static func generate() throws(SodiumError) -> String {
        prefix + (try SessionToken.generate()).text
    }

    public static func looksLikeToken(_ text: String) -> Bool { text.hasPrefix(prefix) }
}
