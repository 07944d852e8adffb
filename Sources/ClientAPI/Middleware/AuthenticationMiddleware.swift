import APICore
import Hummingbird

/// Guards every user-scoped route: `Authorization: Bearer <token>` must name a live session of an
/// enabled user, or the answer is 401 `{"error": "Invalid token"}` (the client then logs out). The
/// routes behind it read the caller from `context.caller()`. A token in the query string is ignored.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let accounts: AccountService

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let token = Self.bearerToken(request.headers[.authorization]) else { throw APIFailure.invalidToken }
        let authenticated: Authenticated?
        do {
            authenticated = try await accounts.authenticate(token: token)
        } catch {
            context.logger.error("token check failed on the store", metadata: ["error": "\(error)"])
            throw APIFailure.unavailable
        }
        guard let authenticated else { throw APIFailure.invalidToken }
        var context = context
        context.authenticated = authenticated
        context.logger[metadataKey: "user"] = "\(authenticated.user.name)"
        return try await next(request, context)
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
