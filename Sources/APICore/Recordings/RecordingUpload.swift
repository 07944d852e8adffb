/// One step of a session recording's upload (http-api.md §7), as the client sends them: `start`
/// when the recording begins, `part`s as the file grows (each from where the last one ended),
/// `tail` with the finished file's first bytes (the container header rewritten at the end), or
/// `remove` when the client discarded a too-short recording.
public enum RecordingUpload: Sendable, Equatable {
    case start
    case part(offset: UInt64, bytes: [UInt8])
    case tail(bytes: [UInt8])
    case remove
}

/// Why an upload step failed; the route answers `{"error": ...}`, which stops the client's upload
/// of that file.
public enum RecordingFailure: Error, Sendable, Equatable {
    /// The step would make the file larger than the service allows.
    case beyondMaximumSize
    /// `part` or `tail` for a file that was never started (or was removed).
    case unknownFile
    /// The disk refused (full, permissions); logged with the reason.
    case storage
}
