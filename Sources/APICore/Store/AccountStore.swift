/// Where accounts and sessions live. The API's services depend only on this protocol, so the SQLite
/// store (`db_v2.sqlite3`) and a later PostgreSQL one are interchangeable. Every write returns once
/// it has committed; reads never make an event loop wait on disk.
public protocol AccountStore: Sendable {
    /// The user whose name or email is `nameOrEmail`, ignoring case.
    func user(named nameOrEmail: String) async throws(APIStoreError) -> User?
    func user(id: User.ID) async throws(APIStoreError) -> User?
    /// Every user, ordered by name (small: accounts of one organisation).
    func allUsers() async throws(APIStoreError) -> [User]
    func userGroup(id: UserGroup.ID) async throws(APIStoreError) -> UserGroup?
    /// Whether an enabled administrator exists (start-up bootstrap).
    func hasAdministrator() async throws(APIStoreError) -> Bool
    /// Creates the user; `.conflict` when the name or email is taken.
    func insertUser(_ user: NewUser, now: Int64) async throws(APIStoreError) -> User
    func setPassword(userID: User.ID, hash: String, now: Int64) async throws(APIStoreError)
    /// Enrols (or with nil removes) TOTP; resets the last accepted step.
    func setTOTPSecret(userID: User.ID, secret: [UInt8]?, now: Int64) async throws(APIStoreError)
    /// Records `step` as used if it is newer than the last one; false when it was already used.
    func claimTOTPStep(userID: User.ID, step: Int64) async throws(APIStoreError) -> Bool

    func insertSession(_ session: Session) async throws(APIStoreError)
    /// The session with this token digest and its user, expired or not (the caller decides).
    func session(tokenDigest: [UInt8]) async throws(APIStoreError) -> (Session, User)?
    /// Moves a session's expiry forward after a use.
    func touchSession(tokenDigest: [UInt8], lastUsedAt: Int64, expiresAt: Int64) async throws(APIStoreError)
    func deleteSession(tokenDigest: [UInt8]) async throws(APIStoreError)
    /// Revokes every session of a user (password change, force logout); returns how many.
    @discardableResult
    func deleteSessions(userID: User.ID) async throws(APIStoreError) -> Int
    /// Drops sessions that expired before `now`; returns how many.
    @discardableResult
    func deleteExpiredSessions(now: Int64) async throws(APIStoreError) -> Int
}
