import RustDeskCore

/// The key pair given to the container: `KEY_PUB`/`KEY_PRIV` or the secrets `key_pub`/`key_priv`, as
/// rustdesk-server-s6 takes them, written into the data directory when its key files are absent.
///
/// Stricter than s6, which keeps files and ignores the variables: a given key that differs from the one on
/// disk stops the start, because the administrator would otherwise believe clients use the key they gave.
public struct ContainerKeys {
    public let files: ServerKeyFiles
    /// The secrets' texts (`/run/secrets/key_pub`, `key_priv`), nil when absent.
    public let secretPublic: String?
    public let secretPrivate: String?
    public let environment: [String: String]

    public init(directory: String, environment: [String: String], secretPublic: String?, secretPrivate: String?) {
        self.files = ServerKeyFiles(directory: directory)
        self.environment = environment
        self.secretPublic = secretPublic
        self.secretPrivate = secretPrivate
    }

    /// What happened, for one log line: nil when nothing was given and nothing changed.
    public enum Outcome: Equatable, Sendable {
        case written(publicKey: String)
        case kept(publicKey: String)
    }

    /// Writes the given pair when the files are absent; checks it against them when present. With nothing
    /// given and no files, hbbs generates the pair at its first start, as usual.
    public func prepare() throws(ContainerError) -> Outcome? {
        let givenPrivate = text(secretPrivate) ?? text(environment["KEY_PRIV"])
        let givenPublic = text(secretPublic) ?? text(environment["KEY_PUB"])
        let onDisk = try existingKey()
        let hasPublicFile = try exists(files.publicKeyPath)

        guard let givenPrivate else {
            if givenPublic != nil, onDisk == nil { throw .keyPairIncomplete(missing: "private key (KEY_PRIV)") }
            if hasPublicFile, onDisk == nil { throw .keyPairIncomplete(missing: "private key file id_ed25519") }
            if let onDisk, let givenPublic, try decodePublic(givenPublic) != onDisk.publicKey {
                throw .keysDisagree("KEY_PUB differs from the key in \(files.publicKeyPath)")
            }
            return onDisk.map { .kept(publicKey: $0.publicKeyString) }
        }
        let key = try decodePrivate(givenPrivate)
        if let givenPublic, try decodePublic(givenPublic) != key.publicKey {
            throw .keysDisagree("KEY_PUB is not the public half of KEY_PRIV")
        }
        if let onDisk {
            guard onDisk == key else { throw .keysDisagree("KEY_PRIV differs from the key in \(files.secretKeyPath)") }
            return .kept(publicKey: key.publicKeyString)
        }
        do throws(ServerKeyError) {
            return .written(publicKey: try files.install(key).publicKeyString)
        } catch {
            throw .keyFiles(error.description)
        }
    }

    private func existingKey() throws(ContainerError) -> ServerKey? {
        do throws(ServerKeyError) { return try files.load() } catch { throw .keyFiles(error.description) }
    }

    private func exists(_ path: String) throws(ContainerError) -> Bool {
        do throws(ServerKeyError) { return try ServerKeyFiles.fileExists(path) } catch {
            throw .keyFiles(error.description)
        }
    }

    private func decodePrivate(_ text: String) throws(ContainerError) -> ServerKey {
        guard let bytes = Base64.decode(text), bytes.count == Sodium.signSecretKeyBytes,
            let key = try? ServerKey(secretKey: bytes)
        else { throw .malformedKey(source: "KEY_PRIV") }
        return key
    }

    private func decodePublic(_ text: String) throws(ContainerError) -> [UInt8] {
        guard let bytes = Base64.decode(text), bytes.count == Sodium.signPublicKeyBytes else {
            throw .malformedKey(source: "KEY_PUB")
        }
        return bytes
    }

    /// Secrets and variables often end in a newline; an empty value means "not given".
    private func text(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = value.filter { !$0.isWhitespace }
        return trimmed.isEmpty ? nil : trimmed
    }
}
