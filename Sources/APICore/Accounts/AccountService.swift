import Logging

/// Accounts and sessions (http-api.md §1): checks passwords and TOTP codes, mints and revokes bearer
/// tokens, and tells who a token belongs to. Owns the login throttle and the pending second factors;
/// everything persistent goes through `AccountStore`. Used by the client API's login, logout and
/// currentUser routes and by the authentication middleware of every user-scoped route.
public struct AccountService: Sendable {
    public let store: any AccountStore
    public let hasher: PasswordHasher
    public let clock: APIClock
    public let throttle: LoginThrottle
    public let pendingSecondFactors: PendingSecondFactors
    /// Told about each login, to bind the device it came from to the user; nil = nobody.
    public let deviceOwnership: (any DeviceOwnership)?
    /// Awaited after a session opens or closes, before the client is answered: hbbs's connection
    /// policy reloads, so the token works (or stops working) in its next rendezvous request.
    public let sessionsChanged: @Sendable () async -> Void
    /// A token expires this long after its last use.
    public let sessionLifetimeSeconds: Int64
    /// Uses closer together than this do not move the expiry again, so a busy client costs no write per request.
    public let touchIntervalSeconds: Int64 = 3600
    /// TOTP secrets handed out by `beginTOTPEnrolment` and not yet confirmed.
    public let pendingTOTPEnrolments = PendingTOTPEnrolments()
    private let blocking: BlockingWork
    let logger: Logger
    /// A valid hash of a random password with this hasher's cost, verified against when the user does
    /// not exist, so timing does not tell which names exist.
    private let decoyHash: String

    public init(
        store: any AccountStore, hasher: PasswordHasher = .standard, clock: APIClock = .system,
        blocking: BlockingWork = .inline, sessionDays: Int = 30, throttle: LoginThrottle = LoginThrottle(),
        pendingSecondFactors: PendingSecondFactors = PendingSecondFactors(),
        deviceOwnership: (any DeviceOwnership)? = nil, sessionsChanged: @escaping @Sendable () async -> Void = {},
        logger: Logger
    ) {
        self.deviceOwnership = deviceOwnership
        self.sessionsChanged = sessionsChanged
        self.store = store
        self.hasher = hasher
        self.clock = clock
        self.blocking = blocking
        self.sessionLifetimeSeconds = Int64(sessionDays) * 86_400
        self.throttle = throttle
        self.pendingSecondFactors = pendingSecondFactors
        self.logger = logger
        decoyHash = (try? hasher.hash(GeneratedPassword.make())) ?? ""
    }

    // MARK: Login

    /// Runs one login step for a client at `ip`.
    public func login(_ request: LoginRequest, ip: String) async -> LoginOutcome {
        let now = clock.now()
        if let wait = throttle.retryAfter(ip: ip, account: request.username, now: now) {
            logger.notice("login throttled", metadata: ["user": "\(request.username)", "ip": "\(ip)"])
            return .refused(.throttled(retryAfterSeconds: wait))
        }
        do {
            return try await request.isSecondStep
                ? secondStep(request, ip: ip, now: now) : firstStep(request, ip: ip, now: now)
        } catch {
            logger.error("login failed on the store", metadata: ["ip": "\(ip)", "error": "\(error)"])
            return .refused(.unavailable)
        }
    }

    private func firstStep(_ request: LoginRequest, ip: String, now: Int64) async throws(APIStoreError)
        -> LoginOutcome
    {
        guard let user = try await userWithPassword(request.username, request.password) else {
            return fail(.wrongCredentials, request: request, ip: ip, now: now)
        }
        guard user.status != .disabled else { return fail(.disabled, request: request, ip: ip, now: now) }
        if user.totpSecret != nil {
            let secret = try Self.newToken().text
            pendingSecondFactors.add(user.id, under: secret, now: now)
            logger.info("login needs TOTP", metadata: ["user": "\(user.name)", "ip": "\(ip)"])
            return .needsSecondFactor(secret: secret)
        }
        if user.totpRequired {
            // The password was right: no failure to throttle, but no session before TOTP is set up.
            logger.notice(
                "login refused: TOTP required, not enrolled", metadata: ["user": "\(user.name)", "ip": "\(ip)"])
            return .refused(.totpSetupRequired(url: user.totpSetupURL))
        }
        return try await openSession(for: user, request: request, ip: ip, now: now)
    }

    /// The user `nameOrEmail` if `password` is theirs; nil otherwise, or when they have no password yet
    /// (an invitation not accepted). Verifies even without a user, so timing does not tell which names exist.
    func userWithPassword(_ nameOrEmail: String, _ password: String) async throws(APIStoreError) -> User? {
        let user = try await store.user(named: nameOrEmail)
        let hash = user?.passwordHash ?? ""
        let hasher = hasher
        let decoyHash = decoyHash
        let matches = await blocking.run { hasher.verify(password, against: hash.isEmpty ? decoyHash : hash) }
        guard let user, matches, !hash.isEmpty else { return nil }
        return user
    }

    private func secondStep(_ request: LoginRequest, ip: String, now: Int64) async throws(APIStoreError)
        -> LoginOutcome
    {
        guard let userID = pendingSecondFactors.take(request.secret, now: now),
            let user = try await store.user(id: userID), let secret = user.totpSecret
        else { return fail(.secondStepExpired, request: request, ip: ip, now: now) }
        guard user.status != .disabled else { return fail(.disabled, request: request, ip: ip, now: now) }
        let typed = request.tfaCode.isEmpty ? request.verificationCode : request.tfaCode
        guard let step = TOTP(secret: secret).verify(typed, at: now),
            try await store.claimTOTPStep(userID: user.id, step: step)
        else { return fail(.wrongCode, request: request, ip: ip, now: now, account: user.name) }
        pendingSecondFactors.remove(request.secret)
        return try await openSession(for: user, request: request, ip: ip, now: now)
    }

    private func openSession(for user: User, request: LoginRequest, ip: String, now: Int64)
        async throws(APIStoreError) -> LoginOutcome
    {
        let token = try Self.newToken()
        try await store.insertSession(
            Session(
                tokenDigest: token.digest, userID: user.id, createdAt: now, lastUsedAt: now,
                expiresAt: now + sessionLifetimeSeconds, deviceID: request.id, deviceUUID: request.uuid,
                deviceInfo: request.deviceInfo, ip: ip))
        throttle.recordSuccess(account: request.username)
        await sessionsChanged()
        await deviceOwnership?.userLoggedIn(user, deviceID: request.id, uuidBase64: request.uuid)
        logger.info("login", metadata: ["user": "\(user.name)", "ip": "\(ip)", "peer.id": "\(request.id)"])
        return .loggedIn(token: token.text, user: user)
    }

    private func fail(
        _ refusal: LoginRefusal, request: LoginRequest, ip: String, now: Int64, account: String? = nil
    ) -> LoginOutcome {
        let account = account ?? request.username
        throttle.recordFailure(ip: ip, account: account, now: now)
        logger.notice(
            "login refused", metadata: ["user": "\(account)", "ip": "\(ip)", "reason": "\(refusal.message)"])
        return .refused(refusal)
    }

    private static func newToken() throws(APIStoreError) -> SessionToken {
        do {
            return try SessionToken.generate()
        } catch {
            throw .unavailable(reason: "no randomness for a token: \(error)")
        }
    }

    // MARK: Tokens

    /// Who `token` belongs to, or nil for an unknown, expired or revoked token or a disabled user.
    /// A use after `touchIntervalSeconds` moves the expiry forward.
    public func authenticate(token: String) async throws(APIStoreError) -> Authenticated? {
        guard let digest = SessionToken.digest(of: token) else { return nil }
        let now = clock.now()
        guard let (session, user) = try await store.session(tokenDigest: digest) else { return nil }
        guard session.expiresAt > now else {
            try? await store.deleteSession(tokenDigest: digest)
            return nil
        }
        guard user.status != .disabled else { return nil }
        if now - session.lastUsedAt >= touchIntervalSeconds {
            try await store.touchSession(
                tokenDigest: digest, lastUsedAt: now, expiresAt: now + sessionLifetimeSeconds)
        }
        return Authenticated(user: user, session: session)
    }

    /// Revokes the session (logout).
    public func logout(_ authenticated: Authenticated) async throws(APIStoreError) {
        try await store.deleteSession(tokenDigest: authenticated.session.tokenDigest)
        await sessionsChanged()
        logger.info("logout", metadata: ["user": "\(authenticated.user.name)"])
    }

    // MARK: Administration

    /// Makes sure an administrator exists: creates `admin` with `password`, or with a generated one
    /// that is returned so the caller can log it once.
    public func ensureAdministrator(password: String?) async throws(APIStoreError) -> AdministratorBootstrap {
        guard try await !store.hasAdministrator() else { return .existing }
        let chosen = password ?? GeneratedPassword.make()
        let hasher = hasher
        guard let hash = await blocking.run({ try? hasher.hash(chosen) }) else {
            throw .unavailable(reason: "cannot hash the administrator password")
        }
        let user = try await store.insertUser(
            NewUser(name: "admin", passwordHash: hash, isAdmin: true), now: clock.now())
        return .created(name: user.name, generatedPassword: password == nil ? chosen : nil)
    }
}

/// A request's authenticated user and session (set by the authentication middleware).
public struct Authenticated: Sendable, Equatable {
    public let user: User
    public let session: Session

    public init(user: User, session: Session) {
        self.user = user
        self.session = session
    }
}

public enum AdministratorBootstrap: Sendable, Equatable {
    case existing
    case created(name: String, generatedPassword: String?)
}
