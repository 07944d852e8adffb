/// One console line cut into tokens the way the reference does: trim Unicode white space at both
/// ends, then split on every single U+0020, keeping empty tokens (`"ib  x"` has an empty second token).
/// Works on Unicode scalars so a space followed by a combining mark still splits, as in Rust.
/// Consumed front to back by the hbbs and hbbr consoles, like Rust's `split(' ')` iterator.
public struct ConsoleCommandLine {
    private var tokens: ArraySlice<String>

    public init(_ text: String) {
        tokens = ArraySlice(
            Self.trimmed(Substring(text)).unicodeScalars.split(separator: " ", omittingEmptySubsequences: false)
                .map { String(String.UnicodeScalarView($0)) }
        )
    }

    /// The next token, or nil when the line is used up.
    public mutating func next() -> String? { tokens.popFirst() }

    /// Rust's `str::trim`: Unicode white space removed at both ends, scalar by scalar.
    public static func trimmed(_ text: Substring) -> Substring {
        let scalars = text.unicodeScalars
        let start = scalars.firstIndex { !$0.properties.isWhitespace } ?? scalars.endIndex
        let end = scalars.lastIndex { !$0.properties.isWhitespace }.map { scalars.index(after: $0) } ?? start
        return Substring(scalars[start..<end])
    }
}
