/// What the client sends to `POST /api/login` (http-api.md §1.2), both steps; every field optional.
public struct LoginRequest: Sendable, Equatable {
    public var username: String
    public var password: String
    public var id: String
    public var uuid: String
    /// `account` (or empty) on the first step, `email_code` on the second.
    public var type: String
    public var verificationCode: String
    public var tfaCode: String
    public var secret: String
    public var deviceInfo: LoginDeviceInfo

    public init(
        username: String = "", password: String = "", id: String = "", uuid: String = "", type: String = "",
        verificationCode: String = "", tfaCode: String = "", secret: String = "",
        deviceInfo: LoginDeviceInfo = LoginDeviceInfo()
    ) {
        self.username = username
        self.password = password
        self.id = id
        self.uuid = uuid
        self.type = type
        self.verificationCode = verificationCode
        self.tfaCode = tfaCode
        self.secret = secret
        self.deviceInfo = deviceInfo
    }

    /// The second step of a two-factor login.
    public var isSecondStep: Bool { type == "email_code" || type == "tfa_code" || !secret.isEmpty }
}

/// How a login ended.
public enum LoginOutcome: Sendable, Equatable {
    /// Logged in: the bearer token (shown once, stored only as a digest) and the user.
    case loggedIn(token: String, user: User)
    /// The password was right and a TOTP code is needed; `secret` names this pending login.
    case needsSecondFactor(secret: String)
    case refused(LoginRefusal)
}

/// Why a login was refused; the texts are what the client shows (short, no internals).
public enum LoginRefusal: Error, Sendable, Equatable {
    case wrongCredentials
    case disabled
    case throttled(retryAfterSeconds: Int64)
    case wrongCode
    case secondStepExpired
    case unavailable
    /// An administrator requires TOTP and none is enrolled; `url` is where to set it up ("" = not given).
    case totpSetupRequired(url: String)

    public var message: String {
        switch self {
        case .wrongCredentials: "Wrong username or password"
        case .disabled: "User is disabled"
        case .throttled(let seconds):
            "Too many failed logins, try again in \(max(1, (seconds + 59) / 60)) minute(s)"
        case .wrongCode: "Wrong verification code"
        case .secondStepExpired: "Login expired, please log in again"
        case .unavailable: "Server busy, please try again"
        // The client shows this text under the password field (login.dart), so it says what to do.
        case .totpSetupRequired(let url) where url.isEmpty:
            "2FA (TOTP) is required for this account; set it up first (ask your administrator how), then log in"
        case .totpSetupRequired(let url): "2FA (TOTP) is required for this account; set it up at \(url), then log in"
        }
    }
}
