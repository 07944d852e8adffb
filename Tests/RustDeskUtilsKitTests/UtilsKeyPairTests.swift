import RustDeskCore
import RustDeskUtilsKit
import Testing

struct UtilsKeyPairTests {
    typealias Support = UtilsTestSupport

    @Test func genkeypairPrintsAValidLibsodiumPair() async throws {
        let result = await Support.run(["genkeypair"])
        #expect(result.status == 0)
        try #require(result.lines.count == 2)
        try #require(result.lines[0].hasPrefix("Public Key:  ") && result.lines[1].hasPrefix("Secret Key:  "))
        let publicString = String(result.lines[0].dropFirst("Public Key:  ".count))
        let secretString = String(result.lines[1].dropFirst("Secret Key:  ".count))
        #expect(publicString.count == 44 && secretString.count == 88)
        let publicKey = try #require(Base64.decode(publicString))
        let secretKey = try #require(Base64.decode(secretString))
        #expect(publicKey.count == 32 && secretKey.count == 64)
        #expect(Array(secretKey[32...]) == publicKey)
        let message = Array("genkeypair".utf8)
        let signature = try Sodium.signDetached(message, secretKey: secretKey)
        #expect(try Sodium.verifyDetached(signature: signature, message: message, publicKey: publicKey))

        let validation = await Support.run(["validatekeypair", publicString, secretString])
        #expect(validation.status == 0)
        #expect(validation.lines == ["Key pair is VALID"])
    }

    @Test func genkeypairGivesAFreshPairEachTime() async {
        let first = await Support.run(["genkeypair"])
        let second = await Support.run(["genkeypair"])
        #expect(first.lines != second.lines)
    }

    @Test func theTestKeyPairIsValid() async {
        let result = await Support.run(["validatekeypair", Support.testPublicKey, Support.testSecretKey, "ignored"])
        #expect(result.status == 0)
        #expect(result.lines == ["Key pair is VALID"])
    }

    /// Each failure in the spec's order: the first failing check decides the message.
    @Test(arguments: [
        ("not base64!", "not base64!", "Invalid secret key"),
        (Support.testPublicKey, "%%%%", "Invalid secret key"),
        ("not base64!", Support.testPublicKey, "Invalid Secret key"),
        (Support.testPublicKey, Support.testPublicKey, "Invalid Secret key"),
        ("not base64!", Support.testSecretKey, "Invalid public key"),
        (Support.testSecretKey, Support.testSecretKey, "Invalid Public key"),
        ("", Support.testSecretKey, "Invalid Public key"),
        ("A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbA=", Support.testSecretKey, "Key pair is INVALID"),
        ("OeVuKk5nlHiXp+APNn0Y3pC1Iwpwn44JGqrQCsWqmBw=", Support.testSecretKey, "Key pair is INVALID"),
    ])
    func validateFailures(publicKey: String, secretKey: String, message: String) async {
        let result = await Support.run(["validatekeypair", publicKey, secretKey])
        #expect(result.status == 1)
        #expect(result.lines == [message])
    }

    @Test func validateRejectsASecretWhosePublicHalfIsWrong() async throws {
        // The public half inside the secret is what libsodium hashes, so a swapped half fails verification.
        var secret = try #require(Base64.decode(Support.testSecretKey))
        let other = try Sodium.signKeyPair()
        secret.replaceSubrange(32..<64, with: other.publicKey)
        let result = await Support.run(["validatekeypair", Support.testPublicKey, Base64.encode(secret)])
        #expect(result.lines == ["Key pair is INVALID"])
        #expect(result.status == 1)
    }
}
