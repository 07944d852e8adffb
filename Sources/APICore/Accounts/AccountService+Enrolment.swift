/// TOTP self-enrolment over the API, for users an administrator requires TOTP of (users.py
/// `enable-2fa-enforce`) and for anyone who wants it: prove the password, get a secret, confirm
/// one code from the authenticator. Only while no TOTP is enrolled; replacing one takes an
/// administrator's reset (`reset-2fa`), or the password alone would defeat the second factor.
extension AccountService {
    public static let totpIssuer = "RustDesk"

    /// What the user puts into their authenticator, and the handle that confirms it.
    public struct TOTPEnrolment: Sendable, Equatable {
        public var handle: String
        /// Base32, for typing in.
        public var secret: String
        /// `otpauth://totp/…`, for a QR code.
        public var uri: String
    }

    public enum EnrolmentRefusal: Error, Sendable, Equatable {
        case login(LoginRefusal)
        case alreadyEnrolled
    }

    /// Step one: checks the password (throttled like a login) and hands out a new secret.
    public func beginTOTPEnrolment(username: String, password: String, ip: String) async throws(EnrolmentRefusal)
        -> TOTPEnrolment
    {
        let now = clock.now()
        if let wait = throttle.retryAfter(ip: ip, account: username, now: now) {
            throw .login(.throttled(retryAfterSeconds: wait))
        }
        let found: User?
        do throws(APIStoreError) {
            found = try await userWithPassword(username, password)
        } catch {
            throw .login(.unavailable)
        }
        guard let user = found else {
            throttle.recordFailure(ip: ip, account: username, now: now)
            throw .login(.wrongCredentials)
        }
        guard user.status != .disabled else { throw .login(.disabled) }
        guard user.totpSecret == nil else { throw .alreadyEnrolled }
        let secret: [UInt8]
        let handle: String
        do {
            secret = try TOTP.generateSecret()
            handle = try SessionToken.generate().text
        } catch {
            throw .login(.unavailable)
        }
        pendingTOTPEnrolments.add(handle: handle, userID: user.id, secret: secret, now: now)
        return TOTPEnrolment(
            handle: handle, secret: Base32.encode(secret),
            uri: TOTP(secret: secret).otpauthURI(account: user.name, issuer: Self.totpIssuer))
    }

    /// Step two: a code from the authenticator makes the secret the user's; the next login asks for it.
    public func confirmTOTPEnrolment(handle: String, code: String, ip: String) async throws(EnrolmentRefusal) {
        let now = clock.now()
        guard let pending = pendingTOTPEnrolments.take(handle, now: now) else {
            throw .login(.secondStepExpired)
        }
        let found: User?
        do throws(APIStoreError) {
            found = try await store.user(id: pending.userID)
        } catch {
            throw .login(.unavailable)
        }
        guard let user = found, user.status != .disabled else { throw .login(.secondStepExpired) }
        guard user.totpSecret == nil else { throw .alreadyEnrolled }
        guard let step = TOTP(secret: pending.secret).verify(code, at: now) else {
            throttle.recordFailure(ip: ip, account: user.name, now: now)
            throw .login(.wrongCode)
        }
        do throws(APIStoreError) {
            try await store.setTOTPSecret(userID: user.id, secret: pending.secret, now: now)
            // The code just typed must not also open a login.
            _ = try await store.claimTOTPStep(userID: user.id, step: step)
        } catch {
            throw .login(.unavailable)
        }
        pendingTOTPEnrolments.remove(handle)
        logger.notice("TOTP enrolled", metadata: ["user": "\(user.name)", "ip": "\(ip)"])
    }
}
