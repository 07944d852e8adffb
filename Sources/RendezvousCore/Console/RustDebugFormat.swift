import RustDeskCore

/// Rust `{:?}` (Debug) text for the few value shapes the console prints, so replies match the
/// reference byte for byte. Pure functions; called by `HbbsConsole`.
enum RustDebugFormat {
    /// A string as Rust's `Debug for str` writes it: double quotes, `\"` `\\` `\0` `\t` `\r` `\n`,
    /// and `\u{hex}` for grapheme extenders and the scalars Rust deems unprintable.
    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\0": result += "\\0"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\n": result += "\\n"
            default:
                if needsUnicodeEscape(scalar) {
                    result += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// A string-to-integer map as Rust prints a `HashMap<String, i32>`: `{"k": 1, "l": 2}`.
    /// Rust's order is unspecified; we sort keys by their UTF-8 bytes so replies are stable.
    static func map(_ counts: [String: Int]) -> String {
        let pairs = counts.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        return "{" + pairs.map { string($0.key) + ": " + String($0.value) }.joined(separator: ", ") + "}"
    }

    /// Rust's `is_printable` excludes these general categories (except the plain space), and
    /// `Debug for str` also escapes every grapheme extender.
    private static func needsUnicodeEscape(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return false }
        if scalar.properties.isGraphemeExtend { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return true
        default:
            return false
        }
    }
}
