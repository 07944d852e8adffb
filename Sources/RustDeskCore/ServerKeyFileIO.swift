#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few POSIX file operations the key files need, with errno turned into `ServerKeyError`.
///
/// POSIX rather than Foundation because the secret file's permissions must be set at creation
/// (`open(..., 0600)`), so it is never readable by others, not even for a moment.
enum ServerKeyFileIO {
    /// Whether something exists at `path`; errors other than "no such file" are reported, not guessed.
    static func exists(_ path: String) throws(ServerKeyError) -> Bool {
        var info = stat()
        if stat(path, &info) == 0 { return true }
        let code = errno
        if code == ENOENT || code == ENOTDIR { return false }
        throw .readFailed(path: path, reason: describe(code))
    }

    /// The file's bytes, or nil when it is longer than `limit` (key files are tiny; never slurp a huge file).
    static func readFile(_ path: String, limit: Int) throws(ServerKeyError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .readFailed(path: path, reason: describe(errno)) }
        defer { close(fd) }
        var contents = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return contents }
            if count < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: describe(errno))
            }
            contents.append(contentsOf: chunk.prefix(count))
            if contents.count > limit { return nil }
        }
    }

    /// Creates (or, unless `exclusive`, truncates) `path` with exactly `mode`, writes `bytes`, syncs and closes.
    /// With `exclusive`, an existing file fails with `EEXIST`, reported through `alreadyExists`.
    static func writeFile(
        _ bytes: [UInt8], to path: String, mode: mode_t, exclusive: Bool
    ) throws(ServerKeyFileIOFailure) {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC)
        let fd = open(path, flags, mode)
        guard fd >= 0 else { throw ServerKeyFileIOFailure(code: errno) }
        var failure: Int32?
        // The umask may only have removed bits; fchmod makes the mode exact (0644 for .pub, 0600 for the secret).
        if fchmod(fd, mode) != 0 { failure = errno }
        var offset = 0
        while failure == nil, offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written > 0 {
                offset += written
            } else if written < 0, errno != EINTR {
                failure = errno
            } else if written == 0 {
                failure = EIO
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == nil { failure = errno }
        if let failure { throw ServerKeyFileIOFailure(code: failure) }
    }

    /// Hard-links `source` to `destination`; fails with `EEXIST` if the destination exists (atomic publish).
    static func linkFile(_ source: String, to destination: String) throws(ServerKeyFileIOFailure) {
        guard link(source, destination) == 0 else { throw ServerKeyFileIOFailure(code: errno) }
    }

    static func removeFile(_ path: String) {
        _ = unlink(path)
    }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// An errno from a write-side operation, kept as a code so callers can tell `EEXIST` from real failures.
struct ServerKeyFileIOFailure: Error {
    let code: Int32
    var alreadyExists: Bool { code == EEXIST }
    var reason: String { ServerKeyFileIO.describe(code) }
}
