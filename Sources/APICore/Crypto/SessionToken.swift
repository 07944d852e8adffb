import RustDeskCore

/// A bearer token for one login session: 256 random bits as 43 characters of unpadded base64url.
///
/// The client holds the token; the database holds only `digest(of:)`, so a leaked database cannot be replayed as
/// sessions. A plain SHA-256 is enough (no salt, no stretching) because the token has full entropy.
/// `description` is redacted so that interpolating a token into a log line does not leak it.
public struct SessionToken: Sendable, Equatable, CustomStringConvertible {
    public static let randomBytes = 32
    public static let textLength = 43
    /// Longer input cannot be a token of ours; refusing it before hashing bounds the work a request can cause.
    public static let maximumInputBytes = 512

    /// What the client sends back in `Authorization: Bearer …`.
    public let text: String

    public var description: String { "SessionToken(redacted)" }

    public static func generate() throws(SodiumError) -> SessionToken {
        SessionToken(text: Base64URL.encode(try Sodium.randomBytes(randomBytes)))
    }

    /// SHA-256 of the token text's UTF-8, the lookup key the database stores; nil for input over
    /// `maximumInputBytes`, which callers treat as an unknown token.
    public static func digest(of tokenText: String) -> [UInt8]? {
        let bytes = Array(tokenText.utf8.prefix(maximumInputBytes + 1))
        guard bytes.count <= maximumInputBytes else { return nil }
        return Sodium.sha256(bytes)
    }

    /// The stored digest of this token (never nil: a generated token is 43 bytes).
    public var digest: [UInt8] { Sodium.sha256(Array(text.utf8)) }
}
