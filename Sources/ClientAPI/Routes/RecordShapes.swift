import APICore
import Hummingbird
import HummingbirdCore

/// `POST /api/record`'s query (http-api.md §7): `type` (`new`, `part`, `tail`, `remove`), `file`,
/// and for `part`/`tail` the chunk's `offset` and `length`; the chunk is the raw body.
struct RecordQuery: Equatable {
    enum Step: Equatable {
        case new
        case part(offset: UInt64, length: Int)
        case tail(length: Int)
        case remove
    }

    let name: RecordingName
    let step: Step

    init(_ query: FlatDictionary<Substring, Substring>) throws(APIFailure) {
        guard let name = query["file"].flatMap({ RecordingName(String($0)) }) else {
            throw APIFailure(.badRequest, "Invalid file name")
        }
        self.name = name
        let length = query["length"].flatMap { Int(String($0)) }
        let offset = query["offset"].map { UInt64(String($0)) } ?? 0
        switch query["type"] {
        case "new": step = .new
        case "remove": step = .remove
        case "part":
            guard let offset else { throw APIFailure(.badRequest, "Invalid offset") }
            step = .part(offset: offset, length: try Self.checked(length))
        case "tail":
            guard offset == 0 else { throw APIFailure(.badRequest, "Invalid offset") }
            step = .tail(length: try Self.checked(length))
        default:
            throw APIFailure(.badRequest, "Invalid type")
        }
    }

    private static func checked(_ length: Int?) throws(APIFailure) -> Int {
        guard let length, length >= 0 else { throw APIFailure(.badRequest, "Invalid length") }
        guard length <= BodyLimit.recordingChunk else { throw APIFailure.tooLarge }
        return length
    }
}
