import APICore
import Hummingbird

/// Turns anything a route throws that is not an `APIFailure` into `{"error": ...}` without internals
/// and logs it: a store's error by its kind (`APIFailure(_: APIStoreError)`: a busy database is 503),
/// anything else a bare 500, so no internal error text, SQL or stack reaches the client; unknown
/// paths get 404 in the same shape.
struct ErrorLoggingMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            let response = try await next(request, context)
            return response
        } catch let failure as APIFailure {
            return APIResponse.error(failure.status, failure.message)
        } catch let error as APIStoreError {
            context.logger.error(
                "API request failed on the store", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            let failure = APIFailure(error)
            return APIResponse.error(failure.status, failure.message)
        } catch let error as any HTTPResponseError {
            // Hummingbird's own (no route: 404, wrong method: 405); keep the status, use our shape.
            return APIResponse.error(error.status, error.status == .notFound ? "Not found" : error.status.reasonPhrase)
        } catch {
            context.logger.error(
                "API request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return APIResponse.error(.internalServerError, "Internal error")
        }
    }
}
