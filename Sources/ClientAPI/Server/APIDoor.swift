import Hummingbird
import Logging
import NIOCore

/// The entrance every request goes through, whichever door it came in by: builds the request's
/// context on its connection and asks the router. A failure the router did not turn into an answer
/// becomes a bare 500, so a door always has a response to send.
public struct APIDoor: Sendable {
    private let responder: any HTTPResponder<APIRequestContext>
    private let logger: Logger

    public init(responder: some HTTPResponder<APIRequestContext>, logger: Logger) {
        self.responder = responder
        self.logger = logger
    }

    public func respond(to request: Request, on channel: any Channel) async -> Response {
        let context = APIRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
        do {
            return try await responder.respond(to: request, context: context)
        } catch {
            logger.error("API request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return APIResponse.error(.internalServerError, "Internal error")
        }
    }
}
