/// Base32 (RFC 4648 §6), the form in which authenticator apps take a TOTP secret.
///
/// Output is uppercase without padding, as the otpauth URI format asks. Input may be typed by a person, so
/// decoding ignores case, spaces and trailing `=`, but rejects any other character and lengths no encoding has.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bufferedBits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bufferedBits += 8
            while bufferedBits >= 5 {
                bufferedBits -= 5
                output.append(alphabet[Int(buffer >> UInt32(bufferedBits) & 0x1F)])
            }
        }
        if bufferedBits > 0 {
            output.append(alphabet[Int(buffer << UInt32(5 - bufferedBits) & 0x1F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Nil for a character outside the alphabet, `=` followed by a symbol, or a symbol count (1, 3 or 6 modulo 8)
    /// that no byte string encodes to. Leftover bits after the last whole byte are dropped.
    public static func decode(_ text: String) -> [UInt8]? {
        var output = [UInt8]()
        var buffer: UInt32 = 0
        var bufferedBits = 0
        var symbolCount = 0
        var seenPadding = false
        for character in text.utf8 {
            if character == UInt8(ascii: " ") { continue }
            if character == UInt8(ascii: "=") {
                seenPadding = true
                continue
            }
            guard !seenPadding, let value = symbolValue(character) else { return nil }
            symbolCount += 1
            buffer = (buffer << 5 | value) & 0xFFF
            bufferedBits += 5
            if bufferedBits >= 8 {
                bufferedBits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bufferedBits)))
            }
        }
        guard ![1, 3, 6].contains(symbolCount % 8) else { return nil }
        return output
    }

    private static func symbolValue(_ character: UInt8) -> UInt32? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(character - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(character - UInt8(ascii: "a"))
        case UInt8(ascii: "2")...UInt8(ascii: "7"): UInt32(character - UInt8(ascii: "2")) + 26
        default: nil
        }
    }
}
