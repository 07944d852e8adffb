import RustDeskCore
import Testing

/// Tampered input and wrong sizes make the `Sodium` wrapper throw instead of returning garbage.
struct SodiumFailureTests {
    static let key = [UInt8](repeating: 0x5A, count: 32)
    static let nonce = [UInt8](repeating: 0x01, count: 24)

    @Test(arguments: [0, 5, 16, 20])
    func tamperedSecretBoxDoesNotOpen(flippedByte: Int) throws {
        var sealed = try Sodium.secretBoxSeal(Array("hello, relay".utf8), nonce: Self.nonce, key: Self.key)
        sealed[flippedByte] ^= 0x01
        #expect(throws: SodiumError.decryptionFailed) {
            try Sodium.secretBoxOpen(sealed, nonce: Self.nonce, key: Self.key)
        }
    }

    @Test func secretBoxWithWrongNonceKeyOrLengthDoesNotOpen() throws {
        let sealed = try Sodium.secretBoxSeal([1, 2, 3], nonce: Self.nonce, key: Self.key)
        var otherNonce = Self.nonce
        otherNonce[0] = 2
        #expect(throws: SodiumError.decryptionFailed) {
            try Sodium.secretBoxOpen(sealed, nonce: otherNonce, key: Self.key)
        }
        #expect(throws: SodiumError.decryptionFailed) {
            try Sodium.secretBoxOpen(sealed, nonce: Self.nonce, key: [UInt8](repeating: 0, count: 32))
        }
        #expect(throws: SodiumError.decryptionFailed) {
            try Sodium.secretBoxOpen(Array(sealed.prefix(15)), nonce: Self.nonce, key: Self.key)
        }
        #expect(throws: SodiumError.invalidNonceLength(expected: 24, actual: 23)) {
            try Sodium.secretBoxOpen(sealed, nonce: Array(Self.nonce.dropLast()), key: Self.key)
        }
        #expect(throws: SodiumError.invalidKeyLength(expected: 32, actual: 31)) {
            try Sodium.secretBoxSeal([], nonce: Self.nonce, key: Array(Self.key.dropLast()))
        }
    }

    @Test func tamperedBoxDoesNotOpen() throws {
        let client = try Sodium.boxKeyPair()
        let server = try Sodium.boxKeyPair()
        var sealed = try Sodium.boxSeal(
            Self.key, nonce: Self.nonce, recipientPublicKey: server.publicKey, senderSecretKey: client.secretKey)
        #expect(
            try Sodium.boxOpen(
                sealed, nonce: Self.nonce, senderPublicKey: client.publicKey, recipientSecretKey: server.secretKey)
                == Self.key)
        let stranger = try Sodium.boxKeyPair()
        #expect(throws: SodiumError.decryptionFailed) {
            try Sodium.boxOpen(
                sealed, nonce: Self.nonce, senderPublicKey: stranger.publicKey, recipientSecretKey: server.secretKey)
        }
        sealed[sealed.count - 1] ^= 0x80
        #expect(throws: SodiumError.decryptionFailed) {
            try Sodium.boxOpen(
                sealed, nonce: Self.nonce, senderPublicKey: client.publicKey, recipientSecretKey: server.secretKey)
        }
    }

    @Test func tamperedSignedMessageDoesNotOpen() throws {
        let pair = try Sodium.signKeyPair()
        var signed = try Sodium.sign(Array("IdPk".utf8), secretKey: pair.secretKey)
        signed[signed.count - 1] ^= 0x01
        #expect(throws: SodiumError.signatureVerificationFailed) {
            try Sodium.open(signed: signed, publicKey: pair.publicKey)
        }
        #expect(throws: SodiumError.signatureVerificationFailed) {
            try Sodium.open(signed: Array(signed.prefix(63)), publicKey: pair.publicKey)
        }
        #expect(throws: SodiumError.invalidKeyLength(expected: 32, actual: 31)) {
            try Sodium.open(signed: signed, publicKey: Array(pair.publicKey.dropLast()))
        }
    }

    @Test func seedMustBe32Bytes() {
        #expect(throws: SodiumError.invalidSeedLength(expected: 32, actual: 31)) {
            try Sodium.signKeyPair(seed: [UInt8](repeating: 0, count: 31))
        }
    }
}
