import RustDeskCore
import TestSupport
import Testing

struct ServerKeyTests {
    typealias Support = ServerKeyTestSupport

    @Test func testKeyOfTheSpec() throws {
        let pair = try Sodium.signKeyPair(seed: Support.testSeed)
        #expect(Support.hexString(pair.publicKey) == Support.testPublicKeyHex)
        let key = try ServerKey(secretKey: pair.secretKey)
        #expect(key.publicKey == pair.publicKey)
        #expect(key.publicKeyString == Support.testPublicKeyFile)
        #expect(key.secretKeyString == Support.testSecretKeyFile)
        #expect(key.publicKeyString.count == 44)
        #expect(key.secretKeyString.count == 88)
    }

    @Test(arguments: [0, 32, 63, 65, 96])
    func rejectsWrongLength(count: Int) {
        #expect(throws: ServerKeyError.malformedPrivateKey) {
            try ServerKey(secretKey: [UInt8](repeating: 7, count: count))
        }
    }

    @Test func rejectsPublicHalfThatDoesNotMatchTheSeed() {
        var secret = Support.testSecretKey
        secret[63] ^= 1
        #expect(throws: ServerKeyError.inconsistentPrivateKey) { try ServerKey(secretKey: secret) }
    }

    @Test func generatedKeysAreConsistentAndDistinct() throws {
        let first = try ServerKey.generate()
        let second = try ServerKey.generate()
        #expect(first != second)
        #expect(try ServerKey(secretKey: first.secretKey) == first)
    }

    @Test func descriptionsNeverShowTheSecret() throws {
        let key = try ServerKey(secretKey: Support.testSecretKey)
        var dumped = ""
        dump(key, to: &dumped)
        for text in [key.description, key.debugDescription, "\(key)", String(reflecting: key), dumped] {
            #expect(!text.contains(Support.testSecretKeyFile))
            #expect(!text.contains("AAECAwQF"))
            #expect(text.contains(Support.testPublicKeyFile))
        }
    }

    @Test func errorMessages() {
        #expect("\(ServerKeyError.malformedPrivateKey)" == "Fatal error: malformed private key in id_ed25519.")
        let mismatch = ServerKeyError.publicKeyFileMismatch(expectedPublicKey: Support.testPublicKeyFile)
        #expect("\(mismatch)".contains("id_ed25519.pub"))
        #expect("\(mismatch)".contains(Support.testPublicKeyFile))
    }
}
