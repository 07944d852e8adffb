/// Standard-alphabet base64 (RFC 4648 §4) as the key files, the KEY option and `rustdesk-utils` use it.
///
/// Owns nothing but the two conversions. Hand-written rather than Foundation's because the decoder must be
/// exactly as tolerant as the reference (crate base64 0.13): padding may be missing, and non-canonical
/// trailing bits are rejected; we additionally ignore surrounding whitespace, as the key file reader trims.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Padded encoding (`=`), no line breaks.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(symbol(group >> 18))
            output.append(symbol(group >> 12))
            output.append(second == nil ? UInt8(ascii: "=") : symbol(group >> 6))
            output.append(third == nil ? UInt8(ascii: "=") : symbol(group))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes padded or unpadded input with optional surrounding whitespace; nil for anything else
    /// (bad characters, inner whitespace, wrong padding, a dangling symbol, non-zero trailing bits).
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var symbols = trimmingWhitespace(Array(text.utf8))
        let padding = symbols.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        if padding > 0 {
            // Padding, when present, must complete the last group exactly.
            guard padding <= 2, symbols.count % 4 == 0 else { return nil }
            symbols.removeLast(padding)
        }
        let remainder = symbols.count % 4
        guard remainder != 1 else { return nil }
        if padding > 0, remainder + padding != 4 { return nil }

        var output = [UInt8]()
        output.reserveCapacity(symbols.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for symbol in symbols {
            guard let value = value(of: symbol) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
                accumulator &= (1 << UInt32(bitCount)) - 1
            }
        }
        // Leftover bits of a partial group must be zero, or two strings would decode to the same bytes.
        guard accumulator == 0 else { return nil }
        return output
    }

    private static func symbol(_ sextet: UInt32) -> UInt8 {
        alphabet[Int(sextet & 0x3F)]
    }

    private static func value(of symbol: UInt8) -> UInt8? {
        switch symbol {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): symbol - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): symbol - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): symbol - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }

    /// The bytes without leading and trailing ASCII whitespace (space, tab, CR, LF, VT, FF).
    static func trimmingWhitespace(_ bytes: [UInt8]) -> [UInt8] {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || (0x09...0x0D).contains($0) }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
            let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return [] }
        return Array(bytes[first...last])
    }
}
