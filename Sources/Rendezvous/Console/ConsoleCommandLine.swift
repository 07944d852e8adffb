/// One console line cut into tokens the way the reference does: trim Unicode white space at both
/// ends, then split on every single U+0020, keeping empty tokens (`"ib  x"` has an empty second token).
/// Works on Unicode scalars so a space followed by a combining mark still splits, as in Rust.
/// Consumed front to back by `HbbsConsole`, like Rust's `split(' ')` iterator.
struct ConsoleCommandLine {
    private var tokens: ArraySlice<String>

    init(_ text: String) {
        let scalars = text.unicodeScalars
        let start = scalars.firstIndex { !$0.properties.isWhitespace } ?? scalars.endIndex
        let end = scalars.lastIndex { !$0.properties.isWhitespace }.map { scalars.index(after: $0) } ?? start
        let trimmed = scalars[start..<end]
        tokens = ArraySlice(
            trimmed.split(separator: " ", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
        )
    }

    /// The next token, or nil when the line is used up.
    mutating func next() -> String? { tokens.popFirst() }
}
