import APICore
import Hummingbird

/// `POST /api/record` (http-api.md §7): a controlled device uploading a session recording, in
/// steps. No auth: the client protocol does not identify the uploader, so `RecordingService` only
/// accepts plain recording names under its directory and bounds sizes. Answers `{}` on success and
/// `{"error": ...}` otherwise (which stops the client's upload of that file). Registered behind its
/// own body limit, one chunk (`BodyLimit.recordingChunk`).
struct RecordRoutes {
    let recordings: RecordingService

    /// Its own `api` group: the JSON routes' 64 KiB limit would refuse every chunk.
    func register(on router: Router<APIRequestContext>) {
        router.group("api").add(middleware: BodyLimitMiddleware(limit: BodyLimit.recordingChunk))
            .post("record") { request, _ in try await record(request) }
    }

    private func record(_ request: Request) async throws -> Response {
        let query = try RecordQuery(request.uri.queryParameters)
        do {
            try await recordings.withUploadSlot {
                let upload: RecordingUpload
                switch query.step {
                case .new: upload = .start
                case .remove: upload = .remove
                case .part(let offset, let length):
                    upload = .part(offset: offset, bytes: try await Self.chunk(of: request, length: length))
                case .tail(let length):
                    upload = .tail(bytes: try await Self.chunk(of: request, length: length))
                }
                try await recordings.apply(upload, to: query.name)
            }
        } catch let failure as RecordingFailure {
            throw Self.failure(failure)
        }
        return APIResponse.json([String: String]())
    }

    /// The body, which must be exactly the `length` the query announced.
    private static func chunk(of request: Request, length: Int) async throws -> [UInt8] {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: BodyLimit.recordingChunk)
        } catch {
            throw APIFailure.tooLarge
        }
        guard buffer.readableBytes == length else { throw APIFailure(.badRequest, "Length does not match the body") }
        return Array(buffer.readableBytesView)
    }

    private static func failure(_ failure: RecordingFailure) -> APIFailure {
        switch failure {
        case .beyondMaximumSize: APIFailure(.contentTooLarge, "Recording too large")
        case .unknownFile: APIFailure(.notFound, "Unknown recording")
        case .storage: APIFailure(.internalServerError, "Could not store the recording")
        }
    }
}
