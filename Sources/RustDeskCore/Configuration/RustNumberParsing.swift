/// Number parsing with the reference's (Rust `str::parse`) acceptance rules, so a value that the Rust
/// servers accept or reject is accepted or rejected here too: optional sign, no whitespace, decimal only.
public enum RustNumberParsing {
    /// Rust `i32` parsing.
    public static func int32(_ text: String) -> Int32? {
        Int32(text)
    }

    /// Rust `usize` parsing (no `-` sign), saturated to `Int.max` on this 64-bit platform.
    public static func unsigned(_ text: String) -> Int? {
        guard !text.hasPrefix("-"), let value = UInt64(text) else { return nil }
        return Int(clamping: value)
    }

    /// Rust `f64` parsing: decimal and exponent forms, `inf`/`infinity`/`nan`; unlike Swift's parser it
    /// rejects hexadecimal floats and surrounding whitespace.
    public static func double(_ text: String) -> Double? {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
            !first.properties.isWhitespace, !last.properties.isWhitespace,
            !text.contains(where: { $0 == "x" || $0 == "X" || $0 == "(" })
        else { return nil }
        return Double(text)
    }

    /// Rust's saturating `f64 as usize`: truncates toward zero, NaN and negatives give 0.
    public static func saturatingInt(_ value: Double) -> Int {
        guard value > 0 else { return 0 }
        guard value < 0x1p63 else { return Int.max }
        return Int(value)
    }
}
