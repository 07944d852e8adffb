import TestSupport
import Testing

@testable import RustDeskCore

@Suite struct AddrMangleTests {
    /// wire.md §3.5 vectors with their explicit timestamps.
    static let vectors: [(String, UInt32, String)] = [
        ("1.2.3.4:5678", 0x0000_0000, "2e 16 00 00 00 00 02 04 06 08"),
        ("192.168.16.32:21116", 0x1234_5678, "f4 a8 f0 ac 68 24 70 fe 89 64"),
        ("203.0.113.7:443", 0x89ab_cdef, "aa cf de 9b 57 13 75 9d 39 22 01"),
        ("10.0.0.1:21116", 0xffff_ffff, "7b 52 ff ff ff ff 13 00 00 02 02"),
        ("[::ffff:198.51.100.20]:40000", 0x00c0_ffee, "2e 9c dd ff 81 01 68 67 4a 2a"),
        ("0.0.0.0:0", 0, ""),
        ("[2001:db8::1]:8080", 0, "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 90 1f"),
        ("[::1]:21116", 0, "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 7c 52"),
    ]

    @Test(arguments: vectors)
    func encodesVector(address: String, timestamp: UInt32, expected: String) throws {
        let parsed = try #require(SocketAddr(address))
        #expect(AddrMangle.encode(parsed, timestamp: timestamp) == hex(expected))
    }

    @Test(arguments: vectors)
    func decodesVectorToNormalizedAddress(address: String, timestamp: UInt32, encoded: String) throws {
        let parsed = try #require(SocketAddr(address))
        #expect(AddrMangle.decode(hex(encoded)) == parsed.normalized)
    }

    @Test func encodingWithCurrentTimeDecodesBack() throws {
        for text in ["1.2.3.4:5678", "255.255.255.255:65535", "[2001:db8::7]:1", "[::ffff:10.1.2.3]:9"] {
            let address = try #require(SocketAddr(text))
            #expect(AddrMangle.decode(AddrMangle.encode(address)) == address.normalized)
        }
    }

    @Test func emptyDecodesToUnspecifiedIPv4() {
        #expect(AddrMangle.decode([UInt8]()) == SocketAddr(ip: .v4(0), port: 0))
    }

    @Test(arguments: [17, 19, 32, 1000])
    func oddLongLengthDecodesToUnspecifiedIPv6(length: Int) {
        #expect(AddrMangle.decode([UInt8](repeating: 0xAB, count: length)) == SocketAddr(ip: .v6(0), port: 0))
    }

    @Test func arbitraryBytesAlwaysDecode() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            let count = Int(generator.next() % 20)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let address = AddrMangle.decode(bytes)
            #expect(address.ip.isIPv4 == (count <= 16))
        }
    }

    @Test(arguments: [
        ("::ffff:1.2.3.4", "1.2.3.4"), ("::1.2.3.4", "1.2.3.4"), ("::", "0.0.0.0"), ("::1", "::1"),
        ("2001:db8::1", "2001:db8::1"), ("1.2.3.4", "1.2.3.4"),
    ])
    func normalizesTryIntoV4(input: String, expected: String) throws {
        #expect(try #require(IPAddress(input)).normalized == IPAddress(expected))
    }

    @Test(arguments: ["1.2.3.4", "::ffff:1.2.3.4", "2001:db8::1", "::1", "0.0.0.0", "fe80::1:2"])
    func ipTextRoundTrips(text: String) throws {
        #expect(try #require(IPAddress(text)).description == text)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "::g", "[::1]", "example.com", "1.2.3.256"])
    func rejectsInvalidIPText(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test(arguments: ["1.2.3.4", "[::1]:", "[::1]:99999", "1.2.3.4:x", "[1.2.3.4]:80", "::1:80"])
    func rejectsInvalidSocketAddressText(text: String) {
        #expect(SocketAddr(text) == nil)
    }
}
