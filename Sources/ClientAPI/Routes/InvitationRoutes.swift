import APICore
import Hummingbird

/// users.py `invite` (`POST /api/users/invite`, `user:rw`) and the invitee's side: the link's page
/// (`GET /api/users/invite/accept?token=…`, a minimal HTML form, since there is no web console) and
/// `POST /api/users/invite/accept` with `{"token","password"}` as JSON or from that form.
/// With SMTP the answer is `{"mailed": "<email>"}`; without, `{"link": "<url>"}` for the administrator
/// to hand over. A mail that cannot be sent answers 502 and leaves no user behind.
struct InvitationRoutes {
    let invitations: UserInvitations
    /// API_PUBLIC_URL; nil = the request's Host, over http.
    let publicURL: String?

    func register(public router: RouterGroup<APIRequestContext>, authenticated: RouterGroup<APIRequestContext>) {
        authenticated.post("users/invite") { request, context in
            let caller = try context.administrator(.user, .readWrite)
            let body = try await JSONBody.decode(InviteBody.self, from: request, limit: BodyLimit.json)
            let base = try linkBase(request)
            let invitation = UserInvitations.Invitation(
                name: body.name, email: body.email, groupName: body.groupName, note: body.note)
            let delivery = try await answering(Self.failure) { () async throws(UserInvitations.Failure) in
                try await invitations.invite(invitation, linkBase: base, by: caller)
            }
            switch delivery {
            case .mailed: return APIResponse.json(["mailed": body.email])
            case .link(let link): return APIResponse.json(["link": link])
            }
        }
        router.get("users/invite/accept") { request, _ in
            let token = request.uri.queryParameters["token"].map(String.init) ?? ""
            let user = try await answering(Self.failure) { () async throws(UserInvitations.Failure) in
                try await invitations.invitedUser(token: token)
            }
            guard let user else { return HTMLPage.response(InvitationPages.invalid, status: .notFound) }
            return HTMLPage.response(InvitationPages.form(name: user.name, token: token))
        }
        router.post("users/invite/accept") { request, _ in
            let (body, form) = try await FormBody.decode(AcceptBody.self, from: request)
            do {
                let user = try await answering(Self.failure) { () async throws(UserInvitations.Failure) in
                    try await invitations.accept(token: body.token, password: body.password)
                }
                return form
                    ? HTMLPage.response(InvitationPages.accepted(name: user.name))
                    : APIResponse.json(["name": user.name])
            } catch let failure as APIFailure where form {
                return HTMLPage.response(HTMLPage.message("Invitation", failure.message), status: failure.status)
            }
        }
    }

    /// Where links point: API_PUBLIC_URL, or `http://` and the request's Host when it is a plain host[:port].
    private func linkBase(_ request: Request) throws -> String {
        if let publicURL { return publicURL }
        guard let host = request.head.authority, (1...255).contains(host.utf8.count),
            host.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || Self.hostCharacters.contains($0) })
        else { throw APIFailure(.badRequest, "No usable Host header; set API_PUBLIC_URL") }
        return "http://\(host)"
    }

    private static let hostCharacters = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]".unicodeScalars)

    static func failure(_ failure: UserInvitations.Failure) -> APIFailure {
        switch failure {
        case .invalidName: APIFailure(.badRequest, "Invalid user name")
        case .invalidEmail: APIFailure(.badRequest, "Invalid email")
        case .nameTaken: APIFailure(.conflict, "A user with this name or email exists")
        case .unknownUser: APIFailure(.notFound, "User not found")
        case .mailFailed: APIFailure(.badGateway, "The invitation mail could not be sent; no user was created")
        case .invalidInvitation: APIFailure(.notFound, "This invitation is invalid, used or expired")
        case .missingPassword: APIFailure(.badRequest, "Password required")
        case .passwordTooLong: APIFailure(.badRequest, "Password too long")
        case .store(let error): APIFailure(error)
        }
    }
}

/// users.py `invite`: `{"email","name","group_name","note"?}`.
struct InviteBody: Decodable {
    let name: String
    let email: String
    let groupName: String?
    let note: String

    enum CodingKeys: String, CodingKey {
        case name, email, note
        case groupName = "group_name"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = container.lenientString(.name)
        email = container.lenientString(.email)
        groupName = try? container.decodeIfPresent(String.self, forKey: .groupName)
        note = container.lenientString(.note)
    }
}

struct AcceptBody: Decodable {
    let token: String
    let password: String

    enum CodingKeys: String, CodingKey { case token, password }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        token = container.lenientString(.token)
        password = container.lenientString(.password)
    }
}
