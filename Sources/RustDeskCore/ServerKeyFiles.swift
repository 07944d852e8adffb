/// The key files `id_ed25519` (base64 of the 64-byte secret key) and `id_ed25519.pub` (base64 of the 32-byte
/// public key) in one directory: loading, checking and generating them (utils.md §2, hbbs.md §2.3).
///
/// The servers pass their working directory; tests pass a temporary one. Unlike the Rust servers, which never
/// read `id_ed25519.pub`, loading checks that it (when present) matches the secret key, and that the secret
/// key's public half matches its seed: a damaged pair would make clients reject every signature, so it is
/// reported at startup instead.
public struct ServerKeyFiles: Sendable {
    public static let secretKeyFileName = "id_ed25519"
    public static let publicKeyFileName = "id_ed25519.pub"
    /// How often generation retries for a public key string without `/` or `:` (safe in paths and URLs).
    public static let generationAttempts = 300

    /// Key files are a few dozen bytes; anything much larger is not a key file.
    private static let readLimit = 4096

    public let directory: String

    public init(directory: String = ".") {
        self.directory = directory.isEmpty ? "." : directory
    }

    public var secretKeyPath: String { path(Self.secretKeyFileName) }
    public var publicKeyPath: String { path(Self.publicKeyFileName) }

    /// Whether `id_ed25519` exists (it decides between loading and generating).
    public func secretKeyFileExists() throws(ServerKeyError) -> Bool {
        try ServerKeyFileIO.exists(secretKeyPath)
    }

    /// The key from `id_ed25519`, or nil when that file does not exist.
    public func load() throws(ServerKeyError) -> ServerKey? {
        guard try secretKeyFileExists() else { return nil }
        let key = try loadSecretKey()
        try checkPublicKeyFile(against: key)
        return key
    }

    /// Loads the key, or generates and writes a new pair when `id_ed25519` does not exist.
    public func loadOrGenerate() throws(ServerKeyError) -> (key: ServerKey, generated: Bool) {
        if let key = try load() { return (key, false) }
        return (try generate(), true)
    }

    /// Generates a pair and writes `id_ed25519.pub` (0644) then `id_ed25519` (0600), in the reference's order.
    ///
    /// The secret is written to a private temporary file and hard-linked into place, so a concurrently
    /// starting hbbs/hbbr never reads half a key; if the other process won that race, its key is adopted
    /// (and `.pub` rewritten to match it). Returns the key now on disk.
    public func generate() throws(ServerKeyError) -> ServerKey {
        var key = try ServerKey.generate()
        var attempts = 0
        while !Self.isURLSafe(key.publicKeyString), attempts < Self.generationAttempts {
            key = try ServerKey.generate()
            attempts += 1
        }
        try writePublicKeyFile(for: key)
        return try publishSecretKeyFile(for: key)
    }

    /// Writes a pair given from outside (the container's KEY_PRIV): `.pub` then `id_ed25519`, like `generate()`,
    /// and returns the key now on disk (another process's, if it wrote `id_ed25519` first).
    public func install(_ key: ServerKey) throws(ServerKeyError) -> ServerKey {
        try writePublicKeyFile(for: key)
        return try publishSecretKeyFile(for: key)
    }

    /// Whether a file exists at `path` (errors other than "absent" are reported, not taken as absent).
    public static func fileExists(_ path: String) throws(ServerKeyError) -> Bool {
        try ServerKeyFileIO.exists(path)
    }

    // MARK: Loading

    private func loadSecretKey() throws(ServerKeyError) -> ServerKey {
        guard let contents = try ServerKeyFileIO.readFile(secretKeyPath, limit: Self.readLimit),
            let bytes = Base64.decode(String(decoding: contents, as: UTF8.self)),
            bytes.count == Sodium.signSecretKeyBytes
        else { throw .malformedPrivateKey }
        return try ServerKey(secretKey: bytes)
    }

    private func checkPublicKeyFile(against key: ServerKey) throws(ServerKeyError) {
        guard try ServerKeyFileIO.exists(publicKeyPath) else { return }
        let contents = try ServerKeyFileIO.readFile(publicKeyPath, limit: Self.readLimit)
        // Compare bytes, not strings: an unpadded or whitespace-wrapped .pub holding the right key is fine.
        guard let contents, Base64.decode(String(decoding: contents, as: UTF8.self)) == key.publicKey else {
            throw .publicKeyFileMismatch(expectedPublicKey: key.publicKeyString)
        }
    }

    // MARK: Writing

    private func writePublicKeyFile(for key: ServerKey) throws(ServerKeyError) {
        do throws(ServerKeyFileIOFailure) {
            try ServerKeyFileIO.writeFile(
                Array(key.publicKeyString.utf8), to: publicKeyPath, mode: 0o644, exclusive: false)
        } catch {
            throw .writeFailed(path: publicKeyPath, reason: error.reason)
        }
    }

    private func publishSecretKeyFile(for key: ServerKey) throws(ServerKeyError) -> ServerKey {
        let contents = Array(key.secretKeyString.utf8)
        let temporaryPath = try temporarySecretKeyPath()
        do throws(ServerKeyFileIOFailure) {
            try ServerKeyFileIO.writeFile(contents, to: temporaryPath, mode: 0o600, exclusive: true)
        } catch {
            ServerKeyFileIO.removeFile(temporaryPath)
            throw .writeFailed(path: secretKeyPath, reason: error.reason)
        }
        defer { ServerKeyFileIO.removeFile(temporaryPath) }
        do throws(ServerKeyFileIOFailure) {
            try ServerKeyFileIO.linkFile(temporaryPath, to: secretKeyPath)
            return key
        } catch {
            if error.alreadyExists { return try adoptConcurrentlyWrittenKey() }
        }
        // Some file systems have no hard links: fall back to creating the file in place, still 0600.
        do throws(ServerKeyFileIOFailure) {
            try ServerKeyFileIO.writeFile(contents, to: secretKeyPath, mode: 0o600, exclusive: true)
            return key
        } catch {
            if error.alreadyExists { return try adoptConcurrentlyWrittenKey() }
            throw .writeFailed(path: secretKeyPath, reason: error.reason)
        }
    }

    /// Another process created `id_ed25519` while we generated: its key wins; our `.pub` may have overwritten
    /// its one, so write it again from the winner.
    private func adoptConcurrentlyWrittenKey() throws(ServerKeyError) -> ServerKey {
        let key = try loadSecretKey()
        try writePublicKeyFile(for: key)
        return key
    }

    private func temporarySecretKeyPath() throws(ServerKeyError) -> String {
        do throws(SodiumError) {
            let suffix = try Sodium.randomBytes(8).map { byte in
                let digits = Array("0123456789abcdef")
                return "\(digits[Int(byte >> 4)])\(digits[Int(byte & 0x0F)])"
            }.joined()
            return secretKeyPath + ".tmp-" + suffix
        } catch {
            throw .sodium(error)
        }
    }

    private func path(_ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func isURLSafe(_ publicKeyString: String) -> Bool {
        !publicKeyString.contains("/") && !publicKeyString.contains(":")
    }
}
