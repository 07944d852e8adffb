import Foundation
import Hummingbird

/// Reads a request's JSON body the way the client sends it (http-api.md §0.4): whatever the content
/// type says, and an absent or empty body counts as `{}`. The body is read up to `limit` bytes (the
/// route's `BodyLimitMiddleware` has already refused a larger declared length).
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw APIFailure.tooLarge
        }
        return try decode(T.self, from: buffer)
    }

    /// The decoding itself, shared with the heartbeat's fast path (`HeartbeatFastPath`) so both
    /// read a body the same way.
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws(APIFailure) -> T {
        let bytes = buffer.readableBytesView
        let data = bytes.allSatisfy(\.isJSONWhitespace) ? Data("{}".utf8) : Data(bytes)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw APIFailure.malformedBody
        }
    }
}

extension UInt8 {
    fileprivate var isJSONWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
