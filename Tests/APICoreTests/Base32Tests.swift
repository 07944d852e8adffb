import APICore
import Testing

/// RFC 4648 §10 vectors both ways (we write no padding but read it), and what decoding refuses.
struct Base32Tests {
    static let vectors: [(String, String)] = [
        ("", ""),
        ("f", "MY======"),
        ("fo", "MZXQ===="),
        ("foo", "MZXW6==="),
        ("foob", "MZXW6YQ="),
        ("fooba", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI======"),
    ]

    @Test(arguments: vectors)
    func encodesWithoutPadding(plain: String, encoded: String) {
        #expect(Base32.encode(Array(plain.utf8)) == encoded.filter { $0 != "=" })
    }

    @Test(arguments: vectors)
    func decodesPaddedUnpaddedAndLowercase(plain: String, encoded: String) {
        let bytes = Array(plain.utf8)
        #expect(Base32.decode(encoded) == bytes)
        #expect(Base32.decode(encoded.filter { $0 != "=" }) == bytes)
        #expect(Base32.decode(encoded.lowercased()) == bytes)
    }

    @Test func ignoresSpacesAsAppsShowThem() {
        #expect(Base32.decode("MZXW 6YTB OI") == Array("foobar".utf8))
    }

    @Test(arguments: [
        "MZXW6YT1",  // 1 is not in the alphabet
        "MZXW6YT8",
        "MZ-W6",
        "MZXW6YTBÖI",
        "MY==MY",  // a symbol after padding
        "M",  // 1, 3 and 6 symbols encode no byte string
        "MZX",
        "MZXW6Y",
        "MZXW6YTBO",
    ])
    func refusesInvalidInput(text: String) {
        #expect(Base32.decode(text) == nil)
    }

    @Test func roundTripsEveryLength() {
        let bytes = (0..<40).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for length in 0...bytes.count {
            let prefix = Array(bytes.prefix(length))
            #expect(Base32.decode(Base32.encode(prefix)) == prefix)
        }
    }
}
