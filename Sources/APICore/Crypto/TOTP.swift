import RustDeskCore

/// Time-based one-time passwords (RFC 6238) with HMAC-SHA1, the variant every authenticator app supports.
///
/// Owns the code arithmetic only; the account service stores the secret and the last accepted time step, and
/// refuses a step it has already accepted (`verify` returns the step for that reason).
public struct TOTP: Sendable, Equatable {
    /// 160 bits, the HMAC-SHA1 output size that RFC 4226 §4 recommends for a shared secret.
    public static let secretBytes = 20
    /// How far `verify` will look either side of the current step; more would only help guessing.
    public static let maximumWindow = 10

    public let secret: [UInt8]
    public let digits: Int
    /// Seconds per time step.
    public let period: Int64

    /// `digits` must be 6...8 (RFC 4226 §5.3) and `period` positive; both are program constants, so anything else
    /// is a programming error.
    public init(secret: [UInt8], digits: Int = 6, period: Int64 = 30) {
        precondition((6...8).contains(digits), "TOTP digits must be 6...8")
        precondition(period > 0, "TOTP period must be positive")
        self.secret = secret
        self.digits = digits
        self.period = period
    }

    public static func generateSecret() throws(SodiumError) -> [UInt8] {
        try Sodium.randomBytes(secretBytes)
    }

    /// The RFC 6238 counter: whole periods since the Unix epoch, rounded down (also for times before it).
    public func timeStep(at unixSeconds: Int64) -> Int64 {
        let quotient = unixSeconds / period
        return unixSeconds % period < 0 ? quotient - 1 : quotient
    }

    public func code(at unixSeconds: Int64) -> String {
        code(forTimeStep: timeStep(at: unixSeconds))
    }

    /// HOTP (RFC 4226 §5.3) of the step: dynamic truncation of the HMAC, zero-padded to `digits`.
    public func code(forTimeStep step: Int64) -> String {
        let counter = UInt64(bitPattern: step)
        let message = stride(from: 56, through: 0, by: -8).map { UInt8(truncatingIfNeeded: counter >> UInt64($0)) }
        let mac = HMAC.sha1(key: secret, message: message)
        let offset = Int(mac[SHA1.digestBytes - 1] & 0x0F)
        let binary =
            UInt32(mac[offset] & 0x7F) << 24 | UInt32(mac[offset + 1]) << 16
            | UInt32(mac[offset + 2]) << 8 | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let number = String(binary % modulus)
        return String(repeating: "0", count: digits - number.count) + number
    }

    /// The time step whose code is `code`, searching `window` steps either side of now (clamped to
    /// 0...`maximumWindow`) to allow for clock drift; nil when none matches or `code` is not `digits` digits once
    /// spaces are removed.
    public func verify(_ code: String, at unixSeconds: Int64, window: Int = 1) -> Int64? {
        let typed = Array(code.utf8.lazy.filter { $0 != UInt8(ascii: " ") }.prefix(digits + 1))
        guard typed.count == digits, typed.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        let now = timeStep(at: unixSeconds)
        let reach = Int64(min(max(window, 0), Self.maximumWindow))
        // The current step first, then outwards, so the likeliest match is the one returned.
        for distance in 0...reach {
            for candidate in distance == 0 ? [now] : [now &- distance, now &+ distance] {
                if Sodium.memoryEquals(Array(self.code(forTimeStep: candidate).utf8), typed) { return candidate }
            }
        }
        return nil
    }

    /// The Key URI that authenticator apps scan as a QR code, e.g.
    /// `otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30`.
    public func otpauthURI(account: String, issuer: String) -> String {
        let label = "\(PercentEncoding.encode(issuer)):\(PercentEncoding.encode(account))"
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(PercentEncoding.encode(issuer))"
            + "&algorithm=SHA1&digits=\(digits)&period=\(period)"
    }
}
