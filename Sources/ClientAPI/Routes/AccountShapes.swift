import APICore

/// `POST /api/login`'s body (http-api.md §1.2); every key optional and leniently typed.
struct LoginBody: Decodable {
    let request: LoginRequest

    enum CodingKeys: String, CodingKey {
        case username, password, id, uuid, type, verificationCode, tfaCode, secret, deviceInfo
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        request = LoginRequest(
            username: container.lenientString(.username), password: container.lenientString(.password),
            id: container.lenientString(.id), uuid: container.lenientString(.uuid),
            type: container.lenientString(.type), verificationCode: container.lenientString(.verificationCode),
            tfaCode: container.lenientString(.tfaCode), secret: container.lenientString(.secret),
            deviceInfo: (try? container.decodeIfPresent(LoginDeviceInfo.self, forKey: .deviceInfo)) ?? LoginDeviceInfo()
        )
    }
}

/// Login's answers: logged in, or a second factor needed.
struct LoginAnswer: Encodable {
    let type: String
    let accessToken: String?
    let tfaType: String?
    let secret: String?
    let user: UserPayload?

    enum CodingKeys: String, CodingKey {
        case type, secret, user
        case accessToken = "access_token"
        case tfaType = "tfa_type"
    }

    static func loggedIn(token: String, user: User) -> LoginAnswer {
        LoginAnswer(type: "access_token", accessToken: token, tfaType: nil, secret: nil, user: UserPayload(user))
    }

    /// `tfa_check`: the client asks for the authenticator code and posts it with `secret`.
    static func needsTOTP(secret: String) -> LoginAnswer {
        LoginAnswer(type: "email_check", accessToken: nil, tfaType: "tfa_check", secret: secret, user: nil)
    }
}
