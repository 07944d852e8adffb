/// Invitations (users.py `invite`) and required TOTP (users.py `enable-2fa-enforce`). Every write
/// returns once committed.
public protocol InvitationStore: Sendable {
    /// Creates the user, without a password and `.unverified`, and its invitation in one commit;
    /// `.conflict` when the name or email is taken.
    func insertInvitedUser(_ user: NewUser, invitation: NewInvitation, now: Int64) async throws(APIStoreError) -> User
    /// The user a live invitation (not expired at `now`) stands for, or nil.
    func invitedUser(tokenDigest: [UInt8], now: Int64) async throws(APIStoreError) -> User?
    /// Spends a live invitation: sets the password, turns `.unverified` into `.normal` and deletes
    /// the invitation, in one commit; nil when there is no live invitation with this digest.
    func acceptInvitation(tokenDigest: [UInt8], passwordHash: String, now: Int64) async throws(APIStoreError) -> User?
    /// Sets or clears `totpRequired` (and the address the refusal names) on these users; returns how
    /// many exist.
    func setTOTPRequired(_ required: Bool, setupURL: String, userGUIDs: [String], now: Int64)
        async throws(APIStoreError) -> Int
}

/// What an invitation stores: the token's digest (never the token) and how long it lives.
public struct NewInvitation: Sendable, Equatable {
    public var tokenDigest: [UInt8]
    public var createdBy: String
    public var expiresAt: Int64

    public init(tokenDigest: [UInt8], createdBy: String, expiresAt: Int64) {
        self.tokenDigest = tokenDigest
        self.createdBy = createdBy
        self.expiresAt = expiresAt
    }
}
