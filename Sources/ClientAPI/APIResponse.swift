import Foundation
import Hummingbird

/// The answers the client understands. Every one names its charset (http-api.md correction 8: some
/// client paths decode a body as Latin-1 otherwise).
public enum APIResponse {
    static let jsonType = "application/json; charset=utf-8"
    static let textType = "text/plain; charset=utf-8"

    /// 200 with an empty body: success for address-book actions and audit posts (corrections 2 and 3).
    public static var empty: Response {
        Response(status: .ok, headers: [.contentType: jsonType], body: ResponseBody())
    }

    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let (head, body) = jsonParts(value, status: status)
        return Response(status: head.status, headers: head.headerFields, body: ResponseBody(byteBuffer: body))
    }

    /// `json`'s head and body as they go on the wire; the heartbeat's fast path writes these itself,
    /// so its answers are byte for byte the router's.
    static func jsonParts(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> (HTTPResponse, ByteBuffer) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            return jsonParts(["error": "Internal error"], status: .internalServerError)
        }
        let body = ByteBuffer(bytes: data)
        let response = Response(status: status, headers: [.contentType: jsonType], body: ResponseBody(byteBuffer: body))
        return (response.head, body)
    }

    public static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: textType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    public static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(["error": message], status: status)
    }
}
