import APICore
import Testing

/// FIPS 180 / RFC 3174 vectors: the one-block, two-block, empty and million-byte messages.
struct SHA1Tests {
    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        ),
    ])
    func standardVectors(message: String, digest: String) {
        #expect(Hex.encode(SHA1.hash(Array(message.utf8))) == digest)
    }

    @Test func millionTimesA() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(Hex.encode(SHA1.hash(message)) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    /// Lengths around the padding boundary (55, 56 and 64 bytes) need one or two padding blocks.
    @Test(arguments: [55, 56, 63, 64, 65, 119, 120])
    func paddingBoundaries(length: Int) {
        let digest = SHA1.hash([UInt8](repeating: 0x61, count: length))
        #expect(digest.count == SHA1.digestBytes)
        #expect(digest != SHA1.hash([UInt8](repeating: 0x61, count: length + 1)))
    }
}
