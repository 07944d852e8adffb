import RustDeskCore
import Testing

@testable import RendezvousCore

@Suite struct HbbsConsoleFormattingTests {
    @Test(arguments: [
        ("", #""""#),
        ("relay:21117", #""relay:21117""#),
        ("q\"b\\s", #""q\"b\\s""#),
        ("\n\r\t\0", #""\n\r\t\0""#),
        ("\u{1b}\u{7f}", #""\u{1b}\u{7f}""#),
        ("a b\u{a0}\u{2028}\u{200b}", #""a b\u{a0}\u{2028}\u{200b}""#),
        ("é e\u{301} 'ü'", #""é e\u{301} 'ü'""#),
        ("\u{e000}\u{10ffff}", #""\u{e000}\u{10ffff}""#),
    ])
    func rustDebugString(input: String, expected: String) {
        #expect(RustDebugFormat.string(input) == expected)
    }

    @Test func rustDebugMapIsSortedByBytes() {
        #expect(RustDebugFormat.map([:]) == "{}")
        #expect(RustDebugFormat.map(["b": 2, "::1": 1, "a\"": 3]) == #"{"::1": 1, "a\"": 3, "b": 2}"#)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (1_700_000_000, "2023-11-14T22:13:20Z"),
        (4_107_542_399, "2100-02-28T23:59:59Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
        (253_402_300_800, "+10000-01-01T00:00:00Z"),
        (-62_167_219_201, "-0001-12-31T23:59:59Z"),
    ])
    func rfc3339(seconds: Int64, expected: String) {
        #expect(RFC3339.utcSeconds(seconds) == expected)
    }

    @Test(arguments: [
        ("ib  x", ["ib", "", "x"]),
        ("  rs a,b  ", ["rs", "a,b"]),
        ("", [""]),
        (" \t\r\n", [""]),
        ("a \u{301}b", ["a", "\u{301}b"]),
        ("a\tb", ["a\tb"]),
    ])
    func commandLineSplitsOnSingleSpaces(line: String, expected: [String]) {
        var commandLine = ConsoleCommandLine(line)
        var tokens: [String] = []
        while let token = commandLine.next() { tokens.append(token) }
        #expect(tokens.count == expected.count)
        #expect(zip(tokens, expected).allSatisfy { $0.utf8.elementsEqual($1.utf8) })
    }
}
