import APICore
import Hummingbird

/// Every failure a route answers, as the client reads it (http-api.md §0.4): a status and
/// `{"error": "<short text>"}`. Texts are fixed and short; no internals reach the client.
public struct APIFailure: HTTPResponseError, Equatable {
    public let status: HTTPResponse.Status
    public let message: String

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The Sciter UI drops a dead token only on exactly this text (http-api.md correction 6).
    public static let invalidToken = APIFailure(.unauthorized, "Invalid token")
    public static let malformedBody = APIFailure(.badRequest, "Invalid request body")
    public static let tooLarge = APIFailure(.contentTooLarge, "Request body too large")
    public static let notFound = APIFailure(.notFound, "Not found")
    public static let forbidden = APIFailure(.forbidden, "Permission denied")
    public static let unavailable = APIFailure(.serviceUnavailable, "Server busy, please try again")
    /// A non-administrator's session on an administrative route (never on the client's own routes,
    /// where the client shows this text as "upgrade your server").
    public static let adminRequired = APIFailure(.forbidden, "Admin required!")
    /// An API token on a route that acts for a logged-in user.
    public static let needsUserSession = APIFailure(.forbidden, "This route needs a user's login, not an API token")
    public static let tokenInQuery = APIFailure(
        .unauthorized, "Send the token in the Authorization header, not in the query string")

    /// A token used outside its permissions.
    public static func outsidePermissions(_ area: APIPermissions.Area, _ level: APIPermissions.Level) -> APIFailure {
        let needed = level == .readWrite ? "read-write" : "read"
        return APIFailure(.forbidden, "Token lacks \(needed) permission on \(area.rawValue)")
    }

    /// A store's error as the client reads it; the store's reason stays in the log.
    public init(_ error: APIStoreError) {
        switch error {
        case .conflict: self.init(.conflict, "Already exists")
        case .notFound: self = .notFound
        case .unavailable: self = .unavailable
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        APIResponse.error(status, message)
    }
}
