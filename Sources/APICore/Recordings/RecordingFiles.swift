#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// The blocking file operations behind `RecordingService`, each opening and closing its file, so a
/// file is open only while one step runs on the blocking pool. `O_NOFOLLOW` keeps a symlink planted
/// in the directory from redirecting a write.
enum RecordingFiles {
    enum Outcome: Sendable, Equatable {
        case done
        case missing
        /// `errno` and what was being done, for the log.
        case failed(errno: Int32, step: String)
    }

    /// Creates the directory if needed and an empty file (truncating one of the same name).
    static func create(_ path: String, in directory: String) -> Outcome {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            return .failed(errno: errno, step: "create directory")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { return .failed(errno: errno, step: "create") }
        close(descriptor)
        return .done
    }

    /// Writes `bytes` at `offset` of an existing file; `sync` flushes it to disk (the finished file).
    static func write(_ bytes: [UInt8], at offset: UInt64, to path: String, sync: Bool) -> Outcome {
        let descriptor = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return errno == ENOENT ? .missing : .failed(errno: errno, step: "open") }
        defer { close(descriptor) }
        let result = bytes.withUnsafeBytes { raw -> Outcome in
            guard let base = raw.baseAddress else { return .done }
            var written = 0
            while written < raw.count {
                let count = pwrite(descriptor, base + written, raw.count - written, off_t(offset) + off_t(written))
                if count < 0 {
                    if errno == EINTR { continue }
                    return .failed(errno: errno, step: "write")
                }
                written += count
            }
            return .done
        }
        guard result == .done else { return result }
        if sync && fsync(descriptor) != 0 { return .failed(errno: errno, step: "sync") }
        return .done
    }

    static func remove(_ path: String) -> Outcome {
        guard unlink(path) == 0 else { return errno == ENOENT ? .done : .failed(errno: errno, step: "remove") }
        return .done
    }
}
