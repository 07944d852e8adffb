import APICore
import Synchronization

/// An `AccountStore` in memory, for testing `AccountService`'s rules without SQL or HTTP.
final class InMemoryAccountStore: AccountStore {
    private struct State {
        var users: [User.ID: User] = [:]
        var sessions: [[UInt8]: Session] = [:]
        var nextID: User.ID = 1
    }

    /// Guards users and sessions.
    private let state = Mutex(State())

    var sessionCount: Int { state.withLock { $0.sessions.count } }

    func user(named nameOrEmail: String) async throws(APIStoreError) -> User? {
        let key = nameOrEmail.lowercased()
        return state.withLock { state in
            state.users.values.first {
                $0.name.lowercased() == key || (!$0.email.isEmpty && $0.email.lowercased() == key)
            }
        }
    }

    func user(id: User.ID) async throws(APIStoreError) -> User? { state.withLock { $0.users[id] } }

    func allUsers() async throws(APIStoreError) -> [User] {
        state.withLock { $0.users.values.sorted { $0.name < $1.name } }
    }

    func userGroup(id: UserGroup.ID) async throws(APIStoreError) -> UserGroup? { nil }

    func hasAdministrator() async throws(APIStoreError) -> Bool {
        state.withLock { $0.users.values.contains { $0.isAdmin && $0.status == .normal } }
    }

    func insertUser(_ user: NewUser, now: Int64) async throws(APIStoreError) -> User {
        if try await self.user(named: user.name) != nil { throw .conflict }
        return state.withLock { state in
            let created = User(
                id: state.nextID, guid: "guid-\(state.nextID)", name: user.name, email: user.email,
                passwordHash: user.passwordHash, isAdmin: user.isAdmin, createdAt: now)
            state.users[created.id] = created
            state.nextID += 1
            return created
        }
    }

    func setPassword(userID: User.ID, hash: String, now: Int64) async throws(APIStoreError) {
        try update(userID) { $0.passwordHash = hash }
    }

    func setTOTPSecret(userID: User.ID, secret: [UInt8]?, now: Int64) async throws(APIStoreError) {
        try update(userID) {
            $0.totpSecret = secret
            $0.totpLastStep = 0
        }
    }

    func setStatus(userID: User.ID, _ status: UserStatus) throws(APIStoreError) {
        try update(userID) { $0.status = status }
    }

    func claimTOTPStep(userID: User.ID, step: Int64) async throws(APIStoreError) -> Bool {
        state.withLock { state in
            guard var user = state.users[userID], user.totpLastStep < step else { return false }
            user.totpLastStep = step
            state.users[userID] = user
            return true
        }
    }

    func insertSession(_ session: Session) async throws(APIStoreError) {
        state.withLock { $0.sessions[session.tokenDigest] = session }
    }

    func session(tokenDigest: [UInt8]) async throws(APIStoreError) -> (Session, User)? {
        state.withLock { state in
            guard let session = state.sessions[tokenDigest], let user = state.users[session.userID] else { return nil }
            return (session, user)
        }
    }

    func touchSession(tokenDigest: [UInt8], lastUsedAt: Int64, expiresAt: Int64) async throws(APIStoreError) {
        state.withLock { state in
            state.sessions[tokenDigest]?.lastUsedAt = lastUsedAt
            state.sessions[tokenDigest]?.expiresAt = expiresAt
        }
    }

    func deleteSession(tokenDigest: [UInt8]) async throws(APIStoreError) {
        _ = state.withLock { $0.sessions.removeValue(forKey: tokenDigest) }
    }

    func deleteSessions(userID: User.ID) async throws(APIStoreError) -> Int {
        state.withLock { state in
            let before = state.sessions.count
            state.sessions = state.sessions.filter { $0.value.userID != userID }
            return before - state.sessions.count
        }
    }

    func deleteExpiredSessions(now: Int64) async throws(APIStoreError) -> Int {
        state.withLock { state in
            let before = state.sessions.count
            state.sessions = state.sessions.filter { $0.value.expiresAt > now }
            return before - state.sessions.count
        }
    }

    /// What `enable-2fa-enforce` sets (through `InvitationStore` in the SQLite store).
    func requireTOTP(userID: User.ID, setupURL: String) throws(APIStoreError) {
        try update(userID) {
            $0.totpRequired = true
            $0.totpSetupURL = setupURL
        }
    }

    private func update(_ id: User.ID, _ change: (inout User) -> Void) throws(APIStoreError) {
        let found = state.withLock { state -> Bool in
            guard var user = state.users[id] else { return false }
            change(&user)
            state.users[id] = user
            return true
        }
        if !found { throw .notFound }
    }
}
