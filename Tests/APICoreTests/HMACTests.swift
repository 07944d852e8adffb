import APICore
import Testing

/// RFC 2202 §3 test cases for HMAC-SHA1, including both 80-byte (longer than a block) keys.
struct HMACTests {
    @Test func shortKey() {
        let mac = HMAC.sha1(key: [UInt8](repeating: 0x0B, count: 20), message: Array("Hi There".utf8))
        #expect(Hex.encode(mac) == "b617318655057264e28bc0b6fb378c8ef146be00")
    }

    @Test func textKey() {
        let mac = HMAC.sha1(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(Hex.encode(mac) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    @Test func repeatedBytes() {
        let mac = HMAC.sha1(key: [UInt8](repeating: 0xAA, count: 20), message: [UInt8](repeating: 0xDD, count: 50))
        #expect(Hex.encode(mac) == "125d7342b9ac11cd91a39af48aa17b4f63f175d3")
    }

    @Test func countingKey() {
        let mac = HMAC.sha1(key: Array(1...25), message: [UInt8](repeating: 0xCD, count: 50))
        #expect(Hex.encode(mac) == "4c9007f4026250c6bc8414f9bf50c86c2d7235da")
    }

    @Test(arguments: [
        ("Test Using Larger Than Block-Size Key - Hash Key First", "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
        (
            "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
            "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"
        ),
    ])
    func keyLongerThanBlock(message: String, mac: String) {
        let key = [UInt8](repeating: 0xAA, count: 80)
        #expect(Hex.encode(HMAC.sha1(key: key, message: Array(message.utf8))) == mac)
    }
}
