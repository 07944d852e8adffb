import RustDeskCore
import Testing

struct ServerKeyBase64Tests {
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func usesTheStandardAlphabet() {
        #expect(Base64.encode([0xFB, 0xFF, 0xBF]) == "+/+/")
        #expect(Base64.decode("+/+/") == [0xFB, 0xFF, 0xBF])
        #expect(Base64.decode("-_-_") == nil)
    }

    @Test(arguments: [("Zg", "f"), ("Zm8", "fo"), ("Zm9vYg", "foob"), (" Zm9v\n", "foo"), ("\tZg==\r\n", "f")])
    func toleratesMissingPaddingAndSurroundingWhitespace(encoded: String, plain: String) {
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test(arguments: ["Z", "Zg=", "Zg===", "Z===", "====", "Zh==", "Zm9=", "Zm9v!", "Zm 9v", "Zg==Zg==", "Zm9vY"])
    func rejectsInvalidInput(encoded: String) {
        #expect(Base64.decode(encoded) == nil)
    }

    @Test func roundTripsEveryLength() {
        for length in 0...70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
    }
}
