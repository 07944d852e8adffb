/// The server half of the secure-TCP handshake (spec/wire.md §4.3 steps 2 and 5): a fresh box key
/// pair whose public key is signed with the server's Ed25519 key, and the opening of the client's
/// sealed session key. One per connection; the box secret key never leaves this value.
public struct SecureChannelServerHandshake: Sendable {
    /// 32 + 48: the client's box public key and K sealed to the server's box key.
    public static let sealedKeyBytes = Sodium.secretBoxKeyBytes + Sodium.boxMACBytes

    private let boxKeyPair: Sodium.BoxKeyPair
    /// `S`: the combined Ed25519 signature over the box public key (96 bytes), the one key of the
    /// server's KeyExchange.
    public let signedBoxPublicKey: [UInt8]

    /// A fresh box key pair signed with `signingSecretKey` (64 bytes, libsodium layout).
    public init(signingSecretKey: [UInt8]) throws(SecureChannelError) {
        do throws(SodiumError) {
            boxKeyPair = try Sodium.boxKeyPair()
            signedBoxPublicKey = try Sodium.sign(boxKeyPair.publicKey, secretKey: signingSecretKey)
        } catch {
            throw .sodium(error)
        }
    }

    /// A handshake with a chosen box secret key: for the spec's vectors.
    public init(signingSecretKey: [UInt8], boxSecretKey: [UInt8]) throws(SecureChannelError) {
        do throws(SodiumError) {
            boxKeyPair = try Sodium.boxKeyPair(secretKey: boxSecretKey)
            signedBoxPublicKey = try Sodium.sign(boxKeyPair.publicKey, secretKey: signingSecretKey)
        } catch {
            throw .sodium(error)
        }
    }

    /// The server's box public key (what `signedBoxPublicKey` signs).
    public var boxPublicKey: [UInt8] { boxKeyPair.publicKey }

    /// Opens the client's reply `keys = [client_box_pk (32), sealed K (48)]` with the zero nonce and
    /// returns the session cipher keyed with K.
    public func complete(keys: [[UInt8]]) throws(SecureChannelError) -> SecureChannelCipher {
        guard keys.count == 2 else { throw .wrongKeyCount(keys.count) }
        let clientPublicKey = keys[0]
        let sealed = keys[1]
        guard clientPublicKey.count == Sodium.boxPublicKeyBytes else {
            throw .wrongKeyLength(index: 0, length: clientPublicKey.count)
        }
        guard sealed.count == Self.sealedKeyBytes else { throw .wrongKeyLength(index: 1, length: sealed.count) }
        let key: [UInt8]
        do throws(SodiumError) {
            key = try Sodium.boxOpen(
                sealed, nonce: SecureChannel.zeroNonce, senderPublicKey: clientPublicKey,
                recipientSecretKey: boxKeyPair.secretKey)
        } catch .decryptionFailed {
            throw .decryptionFailed
        } catch {
            throw .sodium(error)
        }
        return try SecureChannelCipher(key: key)
    }
}

/// Constants shared by both sides of the handshake.
public enum SecureChannel {
    /// The handshake's crypto_box uses an all-zero nonce: each box key pair is used once.
    public static let zeroNonce = [UInt8](repeating: 0, count: Sodium.boxNonceBytes)
    /// 64-byte signature ‖ 32-byte box public key.
    public static let signedBoxPublicKeyBytes = Sodium.signatureBytes + Sodium.boxPublicKeyBytes
}
