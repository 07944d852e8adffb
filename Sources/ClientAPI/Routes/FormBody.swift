import Hummingbird

/// A body that is JSON (scripts) or `application/x-www-form-urlencoded` (the small HTML pages the
/// invitation and TOTP links open, which post without JavaScript). A body that starts with `{` is JSON
/// whatever its content type says: curl and other tools label JSON as a form by default, and the API
/// never requires a content type (http-api.md §0.4).
enum FormBody {
    /// The decoded body, and whether it came from a form (so the answer is a page, not JSON).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> (T, isForm: Bool) {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: BodyLimit.json)
        } catch {
            throw APIFailure.tooLarge
        }
        let labelledForm =
            request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
        let looksLikeJSON = buffer.readableBytesView.first { $0 > 0x20 } == UInt8(ascii: "{")
        guard labelledForm && !looksLikeJSON else { return (try JSONBody.decode(T.self, from: buffer), false) }
        do {
            return (try URLEncodedFormDecoder().decode(T.self, from: String(buffer: buffer)), true)
        } catch {
            throw APIFailure.malformedBody
        }
    }
}
