/// Reads the global (section-less) keys of an INI text, as the reference servers read `.env` and
/// `--config` files. Owns only the syntax; option names and precedence belong to `ConfigurationEnvironment`.
///
/// Syntax (the reference's INI library with quotes and escapes enabled):
/// * `KEY=value` or `KEY: value`; the first `=` or `:` separates; key and value are trimmed.
/// * Lines whose first non-blank character is `#` or `;` are comments. Inline comments are not
///   stripped: `KEY=a # b` has the value `a # b`.
/// * A value may be quoted with `"` or `'`; a quoted value may span lines, and text after the closing
///   quote up to the end of the line is appended.
/// * Escapes in keys and values: `\0 \a \b \t \r \n`, `\xHHHH` (four hex digits), a backslash before a
///   line break continues the line, any other escaped character stands for itself.
/// * Keys after a `[section]` header are not global and are ignored. CRLF, CR and a leading BOM are accepted.
/// * Duplicate keys are all returned in order; the last one wins when applied.
///
/// The reference ignores a whole file it cannot parse, so `parse` throws instead of guessing.
public enum IniReader {
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public let line: Int
        public let message: String

        public var description: String { "line \(line): \(message)" }
    }

    /// The global section's entries in file order.
    public static func globalEntries(of text: String) throws(ParseError) -> [(key: String, value: String)] {
        var parser = Parser(text)
        return try parser.parseGlobalEntries()
    }
}

extension IniReader {
    /// A cursor over Unicode scalars: Swift treats `\r\n` as one `Character`, scalars keep CRLF simple.
    fileprivate struct Parser {
        private let scalars: [Unicode.Scalar]
        private var index = 0
        private var line = 1

        init(_ text: String) {
            var scalars = Array(text.unicodeScalars)
            if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
            self.scalars = scalars
        }

        private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        private mutating func advance() {
            if current == "\n" { line += 1 }
            index += 1
        }

        private static func isLineBreak(_ scalar: Unicode.Scalar?) -> Bool { scalar == "\n" || scalar == "\r" }

        private func error(_ message: String) -> ParseError { ParseError(line: line, message: message) }

        mutating func parseGlobalEntries() throws(ParseError) -> [(key: String, value: String)] {
            var entries: [(key: String, value: String)] = []
            var inGlobalSection = true
            while true {
                skipWhitespace(includingLineBreaks: true)
                guard let scalar = current else { return entries }
                switch scalar {
                case "#", ";":
                    skipRestOfLine()
                case "[":
                    try skipSectionHeader()
                    inGlobalSection = false
                default:
                    guard let key = try parseKey() else { continue }
                    let value = try parseValue()
                    if inGlobalSection { entries.append((key, value)) }
                }
            }
        }

        /// Returns nil (and skips the line) for a line without a separator: tolerated, it sets nothing.
        private mutating func parseKey() throws(ParseError) -> String? {
            let start = index
            while let scalar = current, scalar != "=", scalar != ":", !Self.isLineBreak(scalar) {
                if scalar == "\\" {
                    index = start
                    break
                }
                advance()
            }
            if Self.isLineBreak(current) || current == nil {
                return nil
            }
            index = start
            let key = try readUntil { $0 == "=" || $0 == ":" }.trimmed
            guard current != nil, !key.isEmpty else { throw error("missing key") }
            advance()  // the separator
            return key
        }

        private mutating func parseValue() throws(ParseError) -> String {
            skipWhitespace(includingLineBreaks: false)
            var value = ""
            if let quote = current, quote == "\"" || quote == "'" {
                advance()
                value = try readUntil { $0 == quote }
                guard current != nil else { throw error("unterminated quoted value") }
                advance()  // the closing quote
            }
            value += try readUntil { Self.isLineBreak($0) }
            return value.trimmed
        }

        /// Reads up to (not including) the first scalar matching `end`, processing escapes.
        private mutating func readUntil(_ end: (Unicode.Scalar) -> Bool) throws(ParseError) -> String {
            var result = String.UnicodeScalarView()
            while let scalar = current, !end(scalar) {
                advance()
                if scalar == "\\" {
                    try readEscape(into: &result)
                } else {
                    result.append(scalar)
                }
            }
            return String(result)
        }

        private mutating func readEscape(into result: inout String.UnicodeScalarView) throws(ParseError) {
            guard let escaped = current else { throw error("escape at end of file") }
            advance()
            switch escaped {
            case "0": result.append("\0")
            case "a": result.append("\u{07}")
            case "b": result.append("\u{08}")
            case "t": result.append("\t")
            case "r": result.append("\r")
            case "n": result.append("\n")
            case "\n": break  // line continuation
            case "\r": if current == "\n" { advance() }  // CRLF line continuation
            case "x": result.append(try readHexScalar())
            default: result.append(escaped)
            }
        }

        private mutating func readHexScalar() throws(ParseError) -> Unicode.Scalar {
            var digits = ""
            for _ in 0..<4 {
                guard let scalar = current, scalar.properties.isASCIIHexDigit else {
                    throw error("expected four hex digits after \\x")
                }
                digits.unicodeScalars.append(scalar)
                advance()
            }
            guard let code = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(code) else {
                throw error("invalid character \\x\(digits)")
            }
            return scalar
        }

        private mutating func skipSectionHeader() throws(ParseError) {
            advance()  // "["
            while let scalar = current, scalar != "]" { advance() }
            guard current != nil else { throw error("unterminated section header") }
            skipRestOfLine()
        }

        private mutating func skipRestOfLine() {
            while let scalar = current, !Self.isLineBreak(scalar) { advance() }
        }

        private mutating func skipWhitespace(includingLineBreaks: Bool) {
            while let scalar = current, scalar.properties.isWhitespace {
                if !includingLineBreaks && Self.isLineBreak(scalar) { return }
                advance()
            }
        }
    }
}

extension String {
    /// Trims Unicode whitespace at both ends, as the reference trims keys and values.
    fileprivate var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
