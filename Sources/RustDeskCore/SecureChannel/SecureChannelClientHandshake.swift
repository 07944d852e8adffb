/// The client half of the secure-TCP handshake (spec/wire.md §4.3 steps 3 and 4), for tests and
/// tools: verify the server's signed box key with the configured public key, make a box key pair and
/// a session key K, and seal K to the server.
public struct SecureChannelClientHandshake: Sendable {
    /// The two keys of the client's KeyExchange: its box public key (32) and the sealed K (48).
    public let replyKeys: [[UInt8]]
    /// The session cipher keyed with K, to use from the unit after the reply on.
    public let cipher: SecureChannelCipher

    /// Answers the server's KeyExchange `keys` with a fresh box key pair and a random K.
    public init(serverKeys keys: [[UInt8]], serverPublicKey: [UInt8]) throws(SecureChannelError) {
        let boxSecretKey: [UInt8]
        let sessionKey: [UInt8]
        do throws(SodiumError) {
            boxSecretKey = try Sodium.boxKeyPair().secretKey
            sessionKey = try Sodium.randomBytes(Sodium.secretBoxKeyBytes)
        } catch {
            throw .sodium(error)
        }
        try self.init(
            serverKeys: keys, serverPublicKey: serverPublicKey, boxSecretKey: boxSecretKey, sessionKey: sessionKey)
    }

    /// Answers with a chosen box secret key and K: for the spec's vectors.
    public init(
        serverKeys keys: [[UInt8]], serverPublicKey: [UInt8], boxSecretKey: [UInt8], sessionKey: [UInt8]
    ) throws(SecureChannelError) {
        // The client checks the configured key before it reads anything.
        guard serverPublicKey.count == Sodium.signPublicKeyBytes else { throw .invalidServerPublicKey }
        guard keys.count == 1 else { throw .wrongKeyCount(keys.count) }
        let serverBoxPublicKey: [UInt8]
        do throws(SodiumError) {
            serverBoxPublicKey = try Sodium.open(signed: keys[0], publicKey: serverPublicKey)
        } catch {
            throw .signatureMismatch
        }
        guard serverBoxPublicKey.count == Sodium.boxPublicKeyBytes else {
            throw .wrongKeyLength(index: 0, length: serverBoxPublicKey.count)
        }
        let cipher = try SecureChannelCipher(key: sessionKey)
        do throws(SodiumError) {
            let boxKeyPair = try Sodium.boxKeyPair(secretKey: boxSecretKey)
            let sealed = try Sodium.boxSeal(
                sessionKey, nonce: SecureChannel.zeroNonce, recipientPublicKey: serverBoxPublicKey,
                senderSecretKey: boxKeyPair.secretKey)
            replyKeys = [boxKeyPair.publicKey, sealed]
        } catch {
            throw .sodium(error)
        }
        self.cipher = cipher
    }
}
