/// Everything that can go wrong with the server key: its files and the KEY option.
///
/// Messages are meant to be printed as they are; they never contain secret key material, only file paths,
/// OS error text and (where the servers print it anyway) a public key.
public enum ServerKeyError: Error, Equatable, Sendable {
    /// `id_ed25519` does not decode to exactly 64 bytes (the reference's fatal error).
    case malformedPrivateKey
    /// `id_ed25519` decodes to 64 bytes but bytes 32..<64 are not the public key of seed bytes 0..<32.
    case inconsistentPrivateKey
    /// `id_ed25519.pub` exists but does not hold the public half of `id_ed25519`.
    case publicKeyFileMismatch(expectedPublicKey: String)
    case readFailed(path: String, reason: String)
    case writeFailed(path: String, reason: String)
    case sodium(SodiumError)
}

extension ServerKeyError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .malformedPrivateKey:
            "Fatal error: malformed private key in id_ed25519."
        case .inconsistentPrivateKey:
            "Fatal error: damaged private key in id_ed25519: its public half does not match its seed."
        case .publicKeyFileMismatch(let expected):
            "Fatal error: id_ed25519.pub does not match id_ed25519, whose public key is \(expected);"
                + " fix or delete id_ed25519.pub."
        case .readFailed(let path, let reason):
            "Fatal error: cannot read \(path): \(reason)"
        case .writeFailed(let path, let reason):
            "Cannot write \(path): \(reason)"
        case .sodium(let error):
            "libsodium failure: \(error)"
        }
    }
}
