import Hummingbird

/// Refuses a request whose declared `Content-Length` exceeds the route's limit with 413, before any
/// of the body is read. Bodies without a length (chunked) are bounded when read (`JSONBody`).
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let limit: Int

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let declared = request.headers[.contentLength] {
            guard let length = Int(declared), length >= 0 else { throw APIFailure.malformedBody }
            guard length <= limit else { throw APIFailure.tooLarge }
        }
        return try await next(request, context)
    }
}
