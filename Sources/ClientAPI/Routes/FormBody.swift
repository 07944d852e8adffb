import Hummingbird

/// A body that is JSON (scripts) or `application/x-www-form-urlencoded` (the small HTML pages the
/// invitation and TOTP links open, which post without JavaScript).
enum FormBody {
    static func isForm(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        guard isForm(request) else { return try await JSONBody.decode(T.self, from: request, limit: BodyLimit.json) }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: BodyLimit.json)
        } catch {
            throw APIFailure.tooLarge
        }
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: buffer))
        } catch {
            throw APIFailure.malformedBody
        }
    }
}
