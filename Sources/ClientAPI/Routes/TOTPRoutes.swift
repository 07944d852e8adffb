import APICore
import Hummingbird

/// Required TOTP (users.py `enable-2fa-enforce` / `disable-2fa-enforce`: `PUT /api/users/tfa/totp/enforce`
/// with `{"user_guids","enforce","url"}`, `user:rw`) and the self-enrolment a required user needs before
/// the client lets them in: `POST /api/tfa/totp/setup` `{"username","password"}` answers
/// `{"handle","secret","uri"}`; `POST /api/tfa/totp/confirm` `{"handle","code"}` with a code from the
/// authenticator enrols it (200, empty body). `GET /api/tfa/totp/setup` is the same as HTML forms (no
/// web console exists), so `--web-console-url http://HOST:21114/api/tfa/totp/setup` gives the client's
/// refusal a page to point at.
struct TOTPRoutes {
    let users: UserAdministration
    let accounts: AccountService

    func register(public router: RouterGroup<APIRequestContext>, authenticated: RouterGroup<APIRequestContext>) {
        authenticated.put("users/tfa/totp/enforce") { request, context in
            let caller = try context.administrator(.user, .readWrite)
            let body = try await JSONBody.decode(EnforceBody.self, from: request, limit: BodyLimit.json)
            _ = try await answering(AdminUserRoutes.failure) { () async throws(UserAdministration.Failure) in
                try await users.setTOTPRequired(body.enforce, userGUIDs: body.userGUIDs, url: body.url, by: caller)
            }
            return APIResponse.empty
        }
        router.get("tfa/totp/setup") { _, _ in HTMLPage.response(TOTPPages.start) }
        router.post("tfa/totp/setup") { request, context in
            let (body, form) = try await FormBody.decode(EnrolmentStartBody.self, from: request)
            return try await page(form) {
                let enrolment = try await answering(Self.failure) { () async throws(AccountService.EnrolmentRefusal) in
                    try await accounts.beginTOTPEnrolment(
                        username: body.username, password: body.password, ip: context.remoteIP)
                }
                return form
                    ? HTMLPage.response(TOTPPages.confirm(enrolment))
                    : APIResponse.json(["handle": enrolment.handle, "secret": enrolment.secret, "uri": enrolment.uri])
            }
        }
        router.post("tfa/totp/confirm") { request, context in
            let (body, form) = try await FormBody.decode(EnrolmentConfirmBody.self, from: request)
            return try await page(form) {
                try await answering(Self.failure) { () async throws(AccountService.EnrolmentRefusal) in
                    try await accounts.confirmTOTPEnrolment(handle: body.handle, code: body.code, ip: context.remoteIP)
                }
                return form ? HTMLPage.response(TOTPPages.done) : APIResponse.empty
            }
        }
    }

    /// Runs `body`; for a form, a refusal becomes an HTML page with the same status.
    private func page(_ form: Bool, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let failure as APIFailure where form {
            let text = HTMLPage.message("Two-factor authentication", failure.message)
            return HTMLPage.response(text, status: failure.status)
        }
    }

    static func failure(_ refusal: AccountService.EnrolmentRefusal) -> APIFailure {
        switch refusal {
        case .alreadyEnrolled:
            APIFailure(.conflict, "TOTP is already set up; an administrator can reset it (users.py reset-2fa)")
        case .login(let refusal):
            APIFailure(AccountRoutes.status(of: refusal), refusal.message)
        }
    }
}

/// `{"user_guids": […], "enforce": bool, "url": "<web console url or empty>"}`.
struct EnforceBody: Decodable {
    let userGUIDs: [String]
    let enforce: Bool
    let url: String

    enum CodingKeys: String, CodingKey {
        case enforce, url
        case userGUIDs = "user_guids"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        userGUIDs = try container.decode([String].self, forKey: .userGUIDs)
        guard let enforce = try? container.decode(Bool.self, forKey: .enforce) else {
            throw APIFailure(.badRequest, "enforce must be true or false")
        }
        self.enforce = enforce
        url = container.lenientString(.url)
    }
}

struct EnrolmentStartBody: Decodable {
    let username: String
    let password: String

    enum CodingKeys: String, CodingKey { case username, password }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        username = container.lenientString(.username)
        password = container.lenientString(.password)
    }
}

struct EnrolmentConfirmBody: Decodable {
    let handle: String
    let code: String

    enum CodingKeys: String, CodingKey { case handle, code }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        handle = container.lenientString(.handle)
        code = container.lenientString(.code)
    }
}
