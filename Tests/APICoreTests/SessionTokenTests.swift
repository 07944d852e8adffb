import APICore
import Testing

/// Tokens are 256-bit base64url strings; the database side sees only their SHA-256.
struct SessionTokenTests {
    @Test func tokensAreFortyThreeBase64URLCharacters() throws {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for _ in 0..<50 {
            let token = try SessionToken.generate()
            #expect(token.text.count == SessionToken.textLength)
            #expect(token.text.allSatisfy { alphabet.contains($0) })
        }
    }

    @Test func tokensDiffer() throws {
        #expect(try SessionToken.generate() != SessionToken.generate())
    }

    @Test func digestIsSHA256OfTheText() throws {
        let token = try SessionToken.generate()
        #expect(token.digest.count == 32)
        #expect(SessionToken.digest(of: token.text) == token.digest)
        #expect(SessionToken.digest(of: token.text) == SessionToken.digest(of: token.text))
        #expect(
            SessionToken.digest(of: "abc").map(Hex.encode)
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func oversizedInputHasNoDigest() {
        #expect(SessionToken.digest(of: String(repeating: "a", count: SessionToken.maximumInputBytes)) != nil)
        #expect(SessionToken.digest(of: String(repeating: "a", count: SessionToken.maximumInputBytes + 1)) == nil)
        #expect(SessionToken.digest(of: String(repeating: "é", count: 1_000_000)) == nil)
        #expect(SessionToken.digest(of: "")?.count == 32)
    }

    @Test func descriptionDoesNotLeakTheToken() throws {
        let token = try SessionToken.generate()
        #expect(!"\(token)".contains(token.text))
        #expect(!String(reflecting: token).contains(token.text))
    }
}
