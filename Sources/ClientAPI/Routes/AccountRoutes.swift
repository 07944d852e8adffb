import APICore
import Hummingbird

/// http-api.md §1: login options, login (both steps), logout and currentUser.
struct AccountRoutes {
    let accounts: AccountService
    let metrics: APIMetrics

    func register(public router: RouterGroup<APIRequestContext>, authenticated: RouterGroup<APIRequestContext>) {
        // No SSO providers (OIDC is not offered); the Rust side also probes TLS with HEAD (correction 11).
        router.get("login-options") { _, _ in APIResponse.json([String]()) }
        router.head("login-options") { _, _ in APIResponse.json([String]()) }
        router.post("login") { request, context in try await login(request, context) }
        authenticated.post("logout") { _, context in
            let caller = try context.caller()
            try await accounts.logout(caller)
            return APIResponse.empty
        }
        authenticated.post("currentUser") { _, context in APIResponse.json(UserPayload(try context.caller().user)) }
    }

    private func login(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(LoginBody.self, from: request, limit: BodyLimit.json)
        switch await accounts.login(body.request, ip: context.remoteIP) {
        case .loggedIn(let token, let user):
            metrics.logins.count(.ok)
            return APIResponse.json(LoginAnswer.loggedIn(token: token, user: user))
        case .needsSecondFactor(let secret):
            metrics.logins.count(.secondFactor)
            return APIResponse.json(LoginAnswer.needsTOTP(secret: secret))
        case .refused(let refusal):
            metrics.logins.count(Self.outcome(of: refusal))
            throw APIFailure(Self.status(of: refusal), refusal.message)
        }
    }

    private static func outcome(of refusal: LoginRefusal) -> APIMetrics.Login {
        switch refusal {
        case .wrongCredentials: .wrongCredentials
        case .disabled: .disabled
        case .throttled: .throttled
        case .wrongCode: .wrongCode
        case .secondStepExpired: .expired
        case .unavailable: .unavailable
        case .totpSetupRequired: .totpSetupRequired
        }
    }

    static func status(of refusal: LoginRefusal) -> HTTPResponse.Status {
        switch refusal {
        case .wrongCredentials, .wrongCode, .secondStepExpired: .unauthorized
        case .disabled, .totpSetupRequired: .forbidden
        case .throttled: .tooManyRequests
        case .unavailable: .serviceUnavailable
        }
    }
}
