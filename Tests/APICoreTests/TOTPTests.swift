import APICore
import Testing

/// RFC 6238 Appendix B (SHA-1 rows) and the verification rules the login flow relies on.
struct TOTPTests {
    static let rfcSecret = Array("12345678901234567890".utf8)

    @Test(arguments: [
        (Int64(59), "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ])
    func rfc6238Vectors(unixSeconds: Int64, code: String) {
        let totp = TOTP(secret: Self.rfcSecret, digits: 8)
        #expect(totp.code(at: unixSeconds) == code)
        #expect(totp.verify(code, at: unixSeconds, window: 0) == unixSeconds / 30)
    }

    @Test func sixDigitsAreTheLowDigitsZeroPadded() {
        let totp = TOTP(secret: Self.rfcSecret)
        #expect(totp.code(at: 59) == "287082")
        #expect(totp.code(at: 1_111_111_109) == "081804")
    }

    @Test func verifyReturnsTheMatchedStepWithinTheWindow() {
        let totp = TOTP(secret: Self.rfcSecret)
        let now: Int64 = 1_234_567_890
        let step = now / 30
        #expect(totp.verify(totp.code(at: now), at: now) == step)
        #expect(totp.verify(totp.code(at: now - 30), at: now) == step - 1)
        #expect(totp.verify(totp.code(at: now + 30), at: now) == step + 1)
        #expect(totp.verify(totp.code(at: now - 60), at: now) == nil)
        #expect(totp.verify(totp.code(at: now - 60), at: now, window: 2) == step - 2)
        #expect(totp.verify(totp.code(at: now - 30), at: now, window: 0) == nil)
        #expect(totp.verify(totp.code(at: now), at: now, window: -5) == step)
    }

    @Test func verifyIgnoresSpacesButNothingElse() {
        let totp = TOTP(secret: Self.rfcSecret)
        let now: Int64 = 59
        #expect(totp.verify("287 082", at: now) == 1)
        #expect(totp.verify(" 287082 ", at: now) == 1)
        #expect(totp.verify("28708", at: now) == nil)
        #expect(totp.verify("2870820", at: now) == nil)
        #expect(totp.verify("287-082", at: now) == nil)
        #expect(totp.verify("28708a", at: now) == nil)
        #expect(totp.verify("", at: now) == nil)
        #expect(totp.verify("２８７０８２", at: now) == nil)
        #expect(totp.verify(String(repeating: "1", count: 100_000), at: now) == nil)
    }

    @Test func extremeTimesDoNotTrap() {
        let totp = TOTP(secret: Self.rfcSecret)
        #expect(totp.timeStep(at: -1) == -1)
        #expect(totp.code(at: .min).count == 6)
        #expect(totp.code(at: .max).count == 6)
        #expect(totp.verify(totp.code(at: .max), at: .max, window: 10) == Int64.max / 30)
        #expect(totp.verify(totp.code(at: .min), at: .min, window: 10) != nil)
    }

    @Test func generatedSecretsAreTwentyRandomBytes() throws {
        let first = try TOTP.generateSecret()
        #expect(first.count == 20)
        #expect(try TOTP.generateSecret() != first)
    }

    @Test func otpauthURIHasTheKeyURIShape() {
        let totp = TOTP(secret: Array("foobar".utf8))
        #expect(
            totp.otpauthURI(account: "alice", issuer: "RustDesk")
                == "otpauth://totp/RustDesk:alice?secret=MZXW6YTBOI&issuer=RustDesk&algorithm=SHA1&digits=6&period=30")
    }

    @Test func otpauthURIPercentEncodesIssuerAndAccount() {
        let uri = TOTP(secret: [1, 2, 3]).otpauthURI(account: "bob@example.com", issuer: "My Co: A&B")
        #expect(
            uri == "otpauth://totp/My%20Co%3A%20A%26B:bob%40example.com?secret=AEBAG&issuer=My%20Co%3A%20A%26B"
                + "&algorithm=SHA1&digits=6&period=30")
    }
}
