/// The server's long-term Ed25519 identity: a libsodium secret key (seed ‖ public key, 64 bytes) known to be
/// consistent, plus the public-key string clients configure as "Key".
///
/// Owns only the key bytes; the files live in `ServerKeyFiles`, the KEY option rules in
/// `ServerKey.resolveForHbbs` / `resolveForHbbr`. Its descriptions never show the secret.
public struct ServerKey: Sendable, Equatable {
    /// 64 bytes: seed 0..<32 ‖ public key 32..<64.
    public let secretKey: [UInt8]

    /// Accepts a 64-byte secret key whose public half is the one its seed derives.
    public init(secretKey: [UInt8]) throws(ServerKeyError) {
        guard secretKey.count == Sodium.signSecretKeyBytes else { throw .malformedPrivateKey }
        guard try Self.isConsistent(secretKey) else { throw .inconsistentPrivateKey }
        self.secretKey = secretKey
    }

    /// A fresh random key pair.
    public static func generate() throws(ServerKeyError) -> ServerKey {
        do throws(SodiumError) {
            return ServerKey(unchecked: try Sodium.signKeyPair().secretKey)
        } catch {
            throw .sodium(error)
        }
    }

    private init(unchecked secretKey: [UInt8]) {
        self.secretKey = secretKey
    }

    /// 32 bytes, the second half of the secret key.
    public var publicKey: [UInt8] { Array(secretKey[Sodium.signSeedBytes...]) }

    /// Padded standard base64 of the public key: the content of `id_ed25519.pub` and the licence key.
    public var publicKeyString: String { Base64.encode(publicKey) }

    /// Padded standard base64 of the 64-byte secret key: the content of `id_ed25519`.
    public var secretKeyString: String { Base64.encode(secretKey) }

    /// True when bytes 32..<64 equal the public key derived from the seed in bytes 0..<32.
    /// libsodium signs with the stored public half, so an inconsistent key makes signatures nobody can verify.
    static func isConsistent(_ secretKey: [UInt8]) throws(ServerKeyError) -> Bool {
        guard secretKey.count == Sodium.signSecretKeyBytes else { return false }
        do throws(SodiumError) {
            let derived = try Sodium.signKeyPair(seed: Array(secretKey[..<Sodium.signSeedBytes]))
            return derived.secretKey == secretKey
        } catch {
            throw .sodium(error)
        }
    }
}

/// Printing, debugging and `dump` show the public key only, so the secret cannot leak into logs by accident.
extension ServerKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "ServerKey(public: \(publicKeyString))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["publicKey": publicKeyString]) }
}
