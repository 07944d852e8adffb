import APICore
import Hummingbird

/// Guards every user-scoped and administrative route: `Authorization: Bearer <token>` must name a live
/// session of an enabled user or a usable API token (`rdapi_…`), or the answer is 401
/// `{"error": "Invalid token"}` (the client then logs out). The routes behind it read the caller from
/// `context.caller()` (sessions) or `context.administrator(_:_:)`. A request that carries a token in
/// its query string (`access_token`, `token`) is refused: URLs end up in logs and proxies' histories.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let accounts: AccountService
    let tokens: APITokenService

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let query = request.uri.queryParameters
        guard query["access_token"] == nil, query["token"] == nil else { throw APIFailure.tokenInQuery }
        guard let token = Self.bearerToken(request.headers[.authorization]) else { throw APIFailure.invalidToken }
        var context = context
        if APITokenText.looksLikeToken(token) {
            guard
                let apiToken = try await Self.checked(
                    context,
                    { () async throws(APIStoreError) in
                        try await tokens.authenticate(text: token)
                    })
            else { throw APIFailure.invalidToken }
            context.apiToken = apiToken
            context.logger[metadataKey: "token"] = "\(apiToken.name)"
        } else {
            guard
                let authenticated = try await Self.checked(
                    context,
                    { () async throws(APIStoreError) in
                        try await accounts.authenticate(token: token)
                    })
            else { throw APIFailure.invalidToken }
            context.authenticated = authenticated
            context.logger[metadataKey: "user"] = "\(authenticated.user.name)"
        }
        return try await next(request, context)
    }

    /// A credential lookup; a store failure is logged and answered 503, never 401 (the client would log out).
    private static func checked<T>(_ context: Context, _ lookup: () async throws(APIStoreError) -> T?)
        async throws(APIFailure) -> T?
    {
        do throws(APIStoreError) {
            return try await lookup()
        } catch {
            context.logger.error("credential check failed on the store", metadata: ["error": "\(error)"])
            throw APIFailure.unavailable
        }
    }

    /// The token of `Bearer <token>` (scheme case-insensitive), or nil.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
