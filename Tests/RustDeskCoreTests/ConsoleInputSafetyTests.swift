import Testing

@testable import RustDeskCore

/// Core behaviour the hbbs console relies on when its text input is hostile.
@Suite struct ConsoleInputSafetyTests {
    @Test func ipAddressRejectsEmbeddedNUL() {
        #expect(IPAddress("1.2.3.4\u{0}junk") == nil)
        #expect(IPAddress("::1\u{0}") == nil)
        #expect(IPAddress("1.2.3.4") == IPAddress(v4Octets: 1, 2, 3, 4))
    }

    @Test func rustNumberParsingForConsoleArguments() {
        #expect(RustNumberParsing.int32("+7") == 7)
        #expect(RustNumberParsing.int32("-7") == -7)
        #expect(RustNumberParsing.int32("2147483648") == nil)
        #expect(RustNumberParsing.int32(" 7") == nil)
        #expect(RustNumberParsing.unsigned("+7") == 7)
        #expect(RustNumberParsing.unsigned("-0") == nil)
        #expect(RustNumberParsing.unsigned("18446744073709551616") == nil)
    }
}
