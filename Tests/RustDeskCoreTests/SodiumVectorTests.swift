import RustDeskCore
import TestSupport
import Testing

/// The libsodium vectors of wire.md §4.4 and §5, reproduced byte for byte through the `Sodium` wrapper.
struct SodiumVectorTests {
    typealias Support = ServerKeyTestSupport
    static let clientBoxSecret = [UInt8](repeating: 0x22, count: 32)
    static let serverBoxSecret = [UInt8](repeating: 0x33, count: 32)
    static let sessionKey = [UInt8](repeating: 0x44, count: 32)
    static let zeroNonce = [UInt8](repeating: 0, count: 24)
    static let clientBoxPublic = Support.hex("0faa684ed28867b97f4a6a2dee5df8ce974e76b7018e3f22a1c4cf2678570f20")
    static let serverBoxPublic = Support.hex("7b0d47d93427f8311160781c7c733fd89f88970aef490d8aa0ee19a4cb8a1b14")
    static let sealedSessionKey = Support.hex(
        "140f89751d452e39c46974a9953fec0d932c559502cf578760f595f7035e2be1 32a009f1bef75e53f39cca0d0a64aee1")

    /// Sequence number little-endian in bytes 0..7, the rest zero (wire.md §4.4).
    static func nonce(sequence: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: sequence >> (8 * UInt64($0))) } + [UInt8](repeating: 0, count: 16)
    }

    @Test func secretBoxVectors() throws {
        let key = [UInt8](0...0x1F)
        let first = try Sodium.secretBoxSeal([0x3A, 0x02, 0x10, 0x01], nonce: Self.nonce(sequence: 1), key: key)
        #expect(first == Support.hex("e6 a4 fd 8e 47 63 c6 98 73 4d 54 21 aa 98 65 ed f8 39 9a 21"))
        let second = try Sodium.secretBoxSeal([], nonce: Self.nonce(sequence: 2), key: key)
        #expect(second == Support.hex("ef a8 8c 3e 2a 0c 16 79 05 a5 a0 77 aa 79 a1 19"))
        #expect(try Sodium.secretBoxOpen(first, nonce: Self.nonce(sequence: 1), key: key) == [0x3A, 0x02, 0x10, 0x01])
        #expect(try Sodium.secretBoxOpen(second, nonce: Self.nonce(sequence: 2), key: key) == [])
    }

    @Test func boxVectors() throws {
        let client = try Sodium.boxKeyPair(secretKey: Self.clientBoxSecret)
        let server = try Sodium.boxKeyPair(secretKey: Self.serverBoxSecret)
        #expect(client.publicKey == Self.clientBoxPublic)
        #expect(server.publicKey == Self.serverBoxPublic)
        let sealed = try Sodium.boxSeal(
            Self.sessionKey, nonce: Self.zeroNonce, recipientPublicKey: server.publicKey,
            senderSecretKey: client.secretKey)
        #expect(sealed == Self.sealedSessionKey)
        let opened = try Sodium.boxOpen(
            sealed, nonce: Self.zeroNonce, senderPublicKey: client.publicKey, recipientSecretKey: server.secretKey)
        #expect(opened == Self.sessionKey)
    }

    @Test func keyExchangeSignatureVector() throws {
        let signed = try Sodium.sign(Self.serverBoxPublic, secretKey: Support.testSecretKey)
        let expected = Support.hex(
            """
            2630aad474b2131e9d8ce0f7604fbd36a848603edf42edb622e415156fc13c97
            3bb08fea586474beaf8beaa26b9ac55a7327e655f9229e31ed1515870e696808
            7b0d47d93427f8311160781c7c733fd89f88970aef490d8aa0ee19a4cb8a1b14
            """)
        #expect(signed.count == 96)
        #expect(signed == expected)
        let publicKey = Support.hex(Support.testPublicKeyHex)
        #expect(try Sodium.open(signed: signed, publicKey: publicKey) == Self.serverBoxPublic)
    }

    @Test func signedIdPkVector() throws {
        // IdPk{id="123456789", pk=32×0x11}: field 1 (len 9) then field 2 (len 32), built from the spec bytes.
        let payload = [0x0A, 0x09] + Array("123456789".utf8) + [0x12, 0x20] + [UInt8](repeating: 0x11, count: 32)
        #expect(payload.count == 45)
        let blob = try Sodium.sign(payload, secretKey: Support.testSecretKey)
        let signature = Support.hex(
            """
            f4cb34dbfc530c3fb06ecbfb8dad3b63d15a054f282a7cd8e1551aa25b8bebc6
            421a5c9ffaca8cc33b478c1839899497a8fc46c42da3820558ef2e949e6d1906
            """)
        #expect(blob.count == 109)
        #expect(blob == signature + payload)
        #expect(try Sodium.open(signed: blob, publicKey: Support.hex(Support.testPublicKeyHex)) == payload)
    }

    @Test func detachedSignatureIsTheCombinedPrefix() throws {
        let message = Array("This is meh.".utf8)
        let publicKey = Support.hex(Support.testPublicKeyHex)
        let detached = try Sodium.signDetached(message, secretKey: Support.testSecretKey)
        let combined = try Sodium.sign(message, secretKey: Support.testSecretKey)
        #expect(detached == Array(combined.prefix(64)))
        #expect(try Sodium.verifyDetached(signature: detached, message: message, publicKey: publicKey))
        #expect(try !Sodium.verifyDetached(signature: detached, message: message + [0], publicKey: publicKey))
        #expect(
            try !Sodium.verifyDetached(signature: Array(detached.dropLast()), message: message, publicKey: publicKey))
        let other = try Sodium.signKeyPair()
        #expect(try !Sodium.verifyDetached(signature: detached, message: message, publicKey: other.publicKey))
    }
}
