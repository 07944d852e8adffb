import Logging

/// Session recordings uploaded by controlled devices (`POST /api/record`, http-api.md §7), written
/// under one directory (RECORDINGS_DIR). The client protocol does not say which device uploads, so
/// nothing ties a file to a device: the safety rules are that a name is a plain recording name
/// (`RecordingName`), a file never grows beyond `maxFileBytes`, and at most `maxConcurrentUploads`
/// steps hold a chunk and a file at once. File I/O runs on the blocking pool, never on an event
/// loop or the cooperative pool. Data is not synced per chunk; the finishing `tail` syncs the file.
public final class RecordingService: Sendable {
    public static let defaultMaxFileBytes: UInt64 = 8 << 30

    public let directory: String
    public let maxFileBytes: UInt64
    private let blocking: BlockingWork
    private let slots: UploadSlots
    private let logger: Logger

    public init(
        directory: String, blocking: BlockingWork, maxFileBytes: UInt64 = defaultMaxFileBytes,
        maxConcurrentUploads: Int = 4, logger: Logger
    ) {
        self.directory = directory
        self.maxFileBytes = maxFileBytes
        self.blocking = blocking
        self.slots = UploadSlots(count: maxConcurrentUploads)
        self.logger = logger
    }

    /// Runs `body` (reading the chunk, then `apply`) once an upload slot is free.
    public func withUploadSlot<T>(_ body: () async throws -> T) async throws -> T {
        try await slots.withSlot(body)
    }

    public func apply(_ upload: RecordingUpload, to name: RecordingName) async throws(RecordingFailure) {
        let path = directory.hasSuffix("/") ? directory + name.text : directory + "/" + name.text
        let directory = directory
        let outcome: RecordingFiles.Outcome
        switch upload {
        case .start:
            outcome = await blocking.run { RecordingFiles.create(path, in: directory) }
        case .part(let offset, let bytes):
            guard offset <= maxFileBytes, UInt64(bytes.count) <= maxFileBytes - offset else {
                throw .beyondMaximumSize
            }
            outcome = await blocking.run { RecordingFiles.write(bytes, at: offset, to: path, sync: false) }
        case .tail(let bytes):
            guard UInt64(bytes.count) <= maxFileBytes else { throw .beyondMaximumSize }
            outcome = await blocking.run { RecordingFiles.write(bytes, at: 0, to: path, sync: true) }
        case .remove:
            outcome = await blocking.run { RecordingFiles.remove(path) }
        }
        switch outcome {
        case .done:
            return
        case .missing:
            throw .unknownFile
        case .failed(let errno, let step):
            logger.error(
                "recording upload failed on disk",
                metadata: ["file": "\(name)", "step": "\(step)", "errno": "\(errno)"])
            throw .storage
        }
    }
}
