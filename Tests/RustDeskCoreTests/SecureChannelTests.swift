import RustDeskCore
import TestSupport
import Testing

/// Secure TCP (wire.md §4): the handshake halves and the session cipher against the spec's vectors,
/// then the server state machine.
struct SecureChannelTests {
    typealias Support = ServerKeyTestSupport
    typealias Vectors = SodiumVectorTests
    static let signedServerBoxKey = Support.hex(
        """
        2630aad474b2131e9d8ce0f7604fbd36a848603edf42edb622e415156fc13c97
        3bb08fea586474beaf8beaa26b9ac55a7327e655f9229e31ed1515870e696808
        7b0d47d93427f8311160781c7c733fd89f88970aef490d8aa0ee19a4cb8a1b14
        """)
    static let sealedFirstUnit = Support.hex("e6 a4 fd 8e 47 63 c6 98 73 4d 54 21 aa 98 65 ed f8 39 9a 21")

    static func vectorServer() throws -> SecureChannelServerHandshake {
        try SecureChannelServerHandshake(signingSecretKey: Support.testSecretKey, boxSecretKey: Vectors.serverBoxSecret)
    }

    static func vectorClient(_ keys: [[UInt8]]) throws -> SecureChannelClientHandshake {
        try SecureChannelClientHandshake(
            serverKeys: keys, serverPublicKey: Support.hex(Support.testPublicKeyHex),
            boxSecretKey: Vectors.clientBoxSecret, sessionKey: Vectors.sessionKey)
    }

    @Test func nonceIsTheSequenceLittleEndianThenZeros() {
        #expect(SecureChannelCipher.nonce(sequence: 1) == [1] + [UInt8](repeating: 0, count: 23))
        let nonce = SecureChannelCipher.nonce(sequence: 0x0102_0304_0506_0708)
        #expect(nonce == [8, 7, 6, 5, 4, 3, 2, 1] + [UInt8](repeating: 0, count: 16))
    }

    @Test func cipherReproducesTheSecretBoxVectors() throws {
        var cipher = try SecureChannelCipher(key: [UInt8](0...0x1F))
        #expect(try cipher.seal([0x3A, 0x02, 0x10, 0x01]) == Self.sealedFirstUnit)
        #expect(cipher.sentSequence == 1)
        // The spec's second vector is an empty plaintext sealed with sequence 2; `seal` sends empty
        // payloads as heartbeats, so check it at the primitive with the cipher's nonce.
        let empty = try Sodium.secretBoxSeal([], nonce: SecureChannelCipher.nonce(sequence: 2), key: [UInt8](0...0x1F))
        #expect(empty == Support.hex("ef a8 8c 3e 2a 0c 16 79 05 a5 a0 77 aa 79 a1 19"))

        var receiver = try SecureChannelCipher(key: [UInt8](0...0x1F))
        #expect(try receiver.open(Self.sealedFirstUnit) == [0x3A, 0x02, 0x10, 0x01])
        #expect(try receiver.open(empty) == [])
        #expect(receiver.receivedSequence == 2)
    }

    @Test func countersAreIndependentAndStartAtOne() throws {
        var a = try SecureChannelCipher(key: Vectors.sessionKey)
        var b = try SecureChannelCipher(key: Vectors.sessionKey)
        let one = try a.seal([1, 2, 3])
        let two = try a.seal([4, 5])
        let reply = try b.seal([9, 9])
        #expect(try b.open(one) == [1, 2, 3])
        #expect(try b.open(two) == [4, 5])
        #expect(try a.open(reply) == [9, 9])
        #expect(a.sentSequence == 2 && a.receivedSequence == 1 && b.sentSequence == 1 && b.receivedSequence == 2)
    }

    @Test func shortPayloadsPassWithoutAdvancingTheCounter() throws {
        var sender = try SecureChannelCipher(key: Vectors.sessionKey)
        var receiver = try SecureChannelCipher(key: Vectors.sessionKey)
        #expect(try sender.seal([]) == [])
        #expect(sender.sentSequence == 0)
        #expect(try receiver.open([]) == [])
        #expect(try receiver.open([0x42]) == [0x42])
        #expect(receiver.receivedSequence == 0)
        #expect(try receiver.open(try sender.seal([7, 7])) == [7, 7])
    }

    @Test func replayedReorderedOrTamperedUnitsFail() throws {
        var sender = try SecureChannelCipher(key: Vectors.sessionKey)
        let first = try sender.seal([1, 1])
        let second = try sender.seal([2, 2])
        var replay = try SecureChannelCipher(key: Vectors.sessionKey)
        _ = try replay.open(first)
        #expect(throws: SecureChannelError.decryptionFailed) { try replay.open(first) }
        var reorder = try SecureChannelCipher(key: Vectors.sessionKey)
        #expect(throws: SecureChannelError.decryptionFailed) { try reorder.open(second) }
        var tamper = try SecureChannelCipher(key: Vectors.sessionKey)
        var flipped = first
        flipped[flipped.count - 1] ^= 1
        #expect(throws: SecureChannelError.decryptionFailed) { try tamper.open(flipped) }
        var wrongKey = try SecureChannelCipher(key: [UInt8](repeating: 1, count: 32))
        #expect(throws: SecureChannelError.decryptionFailed) { try wrongKey.open(first) }
    }

    @Test func serverOfferIsTheSpecSignature() throws {
        let server = try Self.vectorServer()
        #expect(server.boxPublicKey == Vectors.serverBoxPublic)
        #expect(server.signedBoxPublicKey == Self.signedServerBoxKey)
        #expect(server.signedBoxPublicKey.count == SecureChannel.signedBoxPublicKeyBytes)
    }

    @Test func clientReplyIsTheSpecBox() throws {
        let client = try Self.vectorClient([Self.signedServerBoxKey])
        #expect(client.replyKeys == [Vectors.clientBoxPublic, Vectors.sealedSessionKey])
    }

    @Test func serverOpensTheSpecReply() throws {
        var serverCipher = try Self.vectorServer().complete(keys: [Vectors.clientBoxPublic, Vectors.sealedSessionKey])
        var clientCipher = try SecureChannelCipher(key: Vectors.sessionKey)
        #expect(try serverCipher.open(try clientCipher.seal([0x3A, 0x02, 0x10, 0x01])) == [0x3A, 0x02, 0x10, 0x01])
        #expect(try clientCipher.open(try serverCipher.seal([5, 6, 7])) == [5, 6, 7])
    }

    @Test func freshHandshakesAgree() throws {
        let key = try Sodium.signKeyPair()
        let server = try SecureChannelServerHandshake(signingSecretKey: key.secretKey)
        let client = try SecureChannelClientHandshake(
            serverKeys: [server.signedBoxPublicKey], serverPublicKey: key.publicKey)
        var serverCipher = try server.complete(keys: client.replyKeys)
        var clientCipher = client.cipher
        #expect(try serverCipher.open(try clientCipher.seal([1, 2, 3, 4])) == [1, 2, 3, 4])
        let other = try SecureChannelServerHandshake(signingSecretKey: key.secretKey)
        #expect(other.boxPublicKey != server.boxPublicKey)
    }

    @Test func clientRejectsWhatRealClientsReject() throws {
        let other = try Sodium.signKeyPair()
        #expect(throws: SecureChannelError.signatureMismatch) {
            try SecureChannelClientHandshake(serverKeys: [Self.signedServerBoxKey], serverPublicKey: other.publicKey)
        }
        #expect(throws: SecureChannelError.wrongKeyCount(2)) {
            try Self.vectorClient([Self.signedServerBoxKey, Self.signedServerBoxKey])
        }
        #expect(throws: SecureChannelError.invalidServerPublicKey) {
            try SecureChannelClientHandshake(serverKeys: [Self.signedServerBoxKey], serverPublicKey: [1, 2, 3])
        }
        // A valid signature over something that is not a 32-byte box key.
        let signedShort = try Sodium.sign([1, 2, 3], secretKey: Support.testSecretKey)
        #expect(throws: SecureChannelError.wrongKeyLength(index: 0, length: 3)) { try Self.vectorClient([signedShort]) }
    }

    @Test func serverRejectsMalformedReplies() throws {
        let server = try Self.vectorServer()
        let clientPk = Vectors.clientBoxPublic
        let sealed = Vectors.sealedSessionKey
        #expect(throws: SecureChannelError.wrongKeyCount(1)) { try server.complete(keys: [clientPk]) }
        #expect(throws: SecureChannelError.wrongKeyCount(3)) { try server.complete(keys: [clientPk, sealed, []]) }
        #expect(throws: SecureChannelError.wrongKeyLength(index: 0, length: 31)) {
            try server.complete(keys: [Array(clientPk.dropLast()), sealed])
        }
        #expect(throws: SecureChannelError.wrongKeyLength(index: 1, length: 47)) {
            try server.complete(keys: [clientPk, Array(sealed.dropLast())])
        }
        var tampered = sealed
        tampered[0] ^= 0x80
        #expect(throws: SecureChannelError.decryptionFailed) { try server.complete(keys: [clientPk, tampered]) }
    }
}
