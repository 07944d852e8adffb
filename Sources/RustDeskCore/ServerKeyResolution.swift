/// Where the key a server runs with came from, for its startup log line.
public enum ServerKeySource: Sendable, Equatable {
    /// KEY held a base64 64-byte secret key; the key files were not touched.
    case keyOption
    /// KEY was any other string (possibly empty) used as it is; no key files.
    case licenceString
    case loadedFromFiles
    case generatedFiles
    /// The key files were wanted but could not be written; see the warning.
    case unavailable
}

/// What hbbs runs with (hbbs.md §2.3): the licence key clients must present (empty = no check) and the
/// Ed25519 secret key that signs IdPk blobs and KeyExchange (nil = sign nothing).
public struct HbbsKeySettings: Sendable, Equatable {
    public let licenceKey: String
    /// 64 bytes (seed ‖ public key), or nil.
    public let signingSecretKey: [UInt8]?
    public let source: ServerKeySource
    /// Something the caller should log at warning level; never contains secret material.
    public let warning: String?
}

/// What hbbr runs with (hbbr.md §2.1): only the licence key (empty = no check); hbbr never signs.
public struct HbbrKeySettings: Sendable, Equatable {
    public let licenceKey: String
    public let source: ServerKeySource
    /// Something the caller should log at warning level; never contains secret material.
    public let warning: String?
}

/// The signing key is redacted so the settings can be logged or dumped safely.
extension HbbsKeySettings: CustomStringConvertible, CustomReflectable {
    public var description: String {
        "HbbsKeySettings(licenceKey: \(licenceKey.debugDescription), signing: \(signingSecretKey == nil ? "no" : "yes"),"
            + " source: \(source))"
    }
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "licenceKey": licenceKey, "signing": signingSecretKey != nil, "source": source,
                "warning": warning as Any,
            ])
    }
}

extension ServerKey {
    /// How long hbbr waits for a concurrently starting hbbs to create `id_ed25519` before creating it itself.
    public static let hbbrKeyFileWait: Duration = .milliseconds(300)

    /// Applies hbbs's KEY rules. Throws only fatal problems (malformed or damaged key files, unreadable
    /// files); a failure to write generated files is not fatal: hbbs then runs with no licence check and
    /// no signing key, as the reference does, and says so in `warning`.
    public static func resolveForHbbs(key: String, directory: String = ".") throws(ServerKeyError) -> HbbsKeySettings {
        var licenceKey = key
        var signingSecretKey: [UInt8]?
        var source = ServerKeySource.licenceString
        var warning: String?

        if let secret = Base64.decode(key), secret.count == Sodium.signSecretKeyBytes {
            signingSecretKey = secret
            licenceKey = Base64.encode(secret[Sodium.signSeedBytes...])
            source = .keyOption
            // The reference uses such a key blindly; we keep it (spec) but say that clients cannot verify it.
            if try !isConsistent(secret) {
                warning =
                    "KEY holds a secret key whose public half does not match its seed;"
                    + " clients will reject its signatures"
            }
        }

        if wantsKeyFiles(licenceKey) {
            do throws(ServerKeyError) {
                let (fileKey, generated) = try ServerKeyFiles(directory: directory).loadOrGenerate()
                signingSecretKey = fileKey.secretKey
                if !licenceKey.isEmpty { licenceKey = fileKey.publicKeyString }
                source = generated ? .generatedFiles : .loadedFromFiles
            } catch .writeFailed(let path, let reason) {
                licenceKey = ""
                signingSecretKey = nil
                source = .unavailable
                warning = writeFailureWarning(path: path, reason: reason, signing: true)
            }
        }
        return HbbsKeySettings(
            licenceKey: licenceKey, signingSecretKey: signingSecretKey, source: source, warning: warning)
    }

    /// Applies hbbr's KEY rules. For `-`/`_` it first waits (`wait`, by default `hbbrKeyFileWait`) when
    /// `id_ed25519` does not exist yet, to let hbbs create it. Throws only fatal problems, as hbbs does.
    public static func resolveForHbbr(
        key: String,
        directory: String = ".",
        wait: @Sendable () async -> Void = { try? await Task.sleep(for: ServerKey.hbbrKeyFileWait) }
    ) async throws(ServerKeyError) -> HbbrKeySettings {
        if let secret = Base64.decode(key), secret.count == Sodium.signSecretKeyBytes {
            return HbbrKeySettings(
                licenceKey: Base64.encode(secret[Sodium.signSeedBytes...]), source: .keyOption, warning: nil)
        }
        // Unlike hbbs, an empty KEY means no check at all and no key files.
        guard key == "-" || key == "_" else {
            return HbbrKeySettings(licenceKey: key, source: .licenceString, warning: nil)
        }
        let files = ServerKeyFiles(directory: directory)
        if try !files.secretKeyFileExists() { await wait() }
        do throws(ServerKeyError) {
            let (fileKey, generated) = try files.loadOrGenerate()
            return HbbrKeySettings(
                licenceKey: fileKey.publicKeyString, source: generated ? .generatedFiles : .loadedFromFiles,
                warning: nil)
        } catch .writeFailed(let path, let reason) {
            return HbbrKeySettings(
                licenceKey: "", source: .unavailable,
                warning: writeFailureWarning(path: path, reason: reason, signing: false))
        }
    }

    private static func wantsKeyFiles(_ licenceKey: String) -> Bool {
        licenceKey.isEmpty || licenceKey == "-" || licenceKey == "_"
    }

    private static func writeFailureWarning(path: String, reason: String, signing: Bool) -> String {
        "Cannot write \(path): \(reason); continuing without licence key check"
            + (signing ? " and without signing key" : "")
    }
}
