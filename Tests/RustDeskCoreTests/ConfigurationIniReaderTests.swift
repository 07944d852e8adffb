import RustDeskCore
import Testing

@Suite("Configuration: INI reader")
struct ConfigurationIniReaderTests {
    private func entries(_ text: String) throws -> [String] {
        try IniReader.globalEntries(of: text).map { "\($0.key)=\($0.value)" }
    }

    @Test func keyValuePairsCommentsAndBlankLines() throws {
        let text =
            "# comment\n; other comment\n\nPORT=21116\n  relay_servers = a,b  \n\n   # indented comment\nKEY:abc\n"
        #expect(try entries(text) == ["PORT=21116", "relay_servers=a,b", "KEY=abc"])
    }

    @Test func crlfAndCarriageReturnLineEnds() throws {
        #expect(try entries("A=1\r\nB=2\r\n\r\nC=3") == ["A=1", "B=2", "C=3"])
        #expect(try entries("A=1\rB=2\r") == ["A=1", "B=2"])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        #expect(try entries("\u{FEFF}A=1\n") == ["A=1"])
    }

    @Test func quotedValues() throws {
        #expect(
            try entries("A=\"hello world\"\nB='single'\nC=\"  kept  \"") == ["A=hello world", "B=single", "C=kept"])
        #expect(try entries("A=\"x\" tail\n") == ["A=x tail"])
        #expect(try entries("A=\"one\ntwo\"\nB=2") == ["A=one\ntwo", "B=2"])
    }

    @Test func escapes() throws {
        #expect(try entries(#"A=a\tb\nc\\d\"e\x0041"#) == ["A=a\tb\nc\\d\"eA"])
        #expect(try entries("A=first \\\nsecond\nB=1") == ["A=first second", "B=1"])
        #expect(try entries("A=first \\\r\nsecond\r\nB=1") == ["A=first second", "B=1"])
        #expect(try entries(#"A="quote \" inside""#) == ["A=quote \" inside"])
    }

    @Test func inlineCommentsStayInTheValue() throws {
        #expect(try entries("A=value # not a comment\n") == ["A=value # not a comment"])
    }

    @Test func emptyValueAndSeparatorInValue() throws {
        #expect(try entries("KEY=\nDB_URL=sqlite://db:1=2\n") == ["KEY=", "DB_URL=sqlite://db:1=2"])
        #expect(try entries("KEY=") == ["KEY="])
    }

    @Test func lineWithoutSeparatorIsSkipped() throws {
        #expect(try entries("garbage\nA=1\n") == ["A=1"])
    }

    @Test func onlyTheGlobalSectionCounts() throws {
        #expect(try entries("A=1\n[server]\nB=2\n") == ["A=1"])
    }

    @Test func duplicatesKeepFileOrder() throws {
        #expect(try entries("A=1\nA=2\n") == ["A=1", "A=2"])
    }

    @Test(arguments: ["=value\n", "A=\"unterminated\n", "A=\\x12", "A=\\xZZZZ", "A=end\\", "[section\nA=1"])
    func malformedTextIsAnError(_ text: String) {
        #expect(throws: IniReader.ParseError.self) { try IniReader.globalEntries(of: text) }
    }
}
