import Testing

@testable import RustDeskCore

@Suite struct TrustedProxiesTests {
    static func address(_ text: String) -> SocketAddr {
        guard let address = SocketAddr(text) else { fatalError("bad test address") }
        return address
    }

    @Test func loopbackIsAlwaysTrusted() {
        let proxies = TrustedProxies()
        let peer = Self.address("127.0.0.1:5000")
        #expect(
            proxies.clientAddress(peer: peer, realIP: "203.0.113.9", forwardedFor: nil)
                == Self.address("203.0.113.9:5000"))
        let mapped = Self.address("[::ffff:127.0.0.1]:5000")
        #expect(
            proxies.clientAddress(peer: mapped, realIP: "2001:db8::5", forwardedFor: nil)
                == Self.address("[2001:db8::5]:5000"))
    }

    @Test func untrustedPeersCannotClaimAnAddress() {
        let proxies = TrustedProxies()
        let peer = Self.address("198.51.100.7:40000")
        #expect(proxies.clientAddress(peer: peer, realIP: "10.0.0.1", forwardedFor: "10.0.0.2") == peer)
    }

    @Test func configuredNetworksAreTrusted() throws {
        let proxies = try TrustedProxies.parseOption("10.0.0.0/8, 2001:db8::/32 ,192.0.2.7")
        #expect(proxies.trusts(IPAddress(v4Octets: 10, 1, 2, 3)))
        #expect(proxies.trusts(IPAddress(v4Octets: 192, 0, 2, 7)))
        #expect(!proxies.trusts(IPAddress(v4Octets: 192, 0, 2, 8)))
        #expect(try proxies.trusts(#require(IPAddress("2001:db8:1::1"))))
        #expect(try !proxies.trusts(#require(IPAddress("2001:db9::1"))))
        // IPv4 clients on a dual-stack socket appear IPv4-mapped.
        #expect(try proxies.trusts(#require(IPAddress("::ffff:10.9.9.9"))))
    }

    @Test func forwardedForUsesTheEntryTheProxyAppended() {
        let proxies = TrustedProxies()
        let peer = Self.address("127.0.0.1:7")
        #expect(
            proxies.clientAddress(peer: peer, realIP: nil, forwardedFor: "1.1.1.1, 203.0.113.4")
                == Self.address("203.0.113.4:7"))
        #expect(proxies.clientAddress(peer: peer, realIP: "not an ip", forwardedFor: nil) == peer)
        #expect(proxies.clientAddress(peer: peer, realIP: nil, forwardedFor: nil) == peer)
    }

    @Test(arguments: ["10.0.0.0/33", "nonsense", "1.2.3.4/x", "::1/129"])
    func malformedListsNameTheOption(text: String) {
        #expect(
            throws: ConfigurationError.invalidValue(option: .trustedProxies, value: text, reason: .notAnIPNetworkList)
        ) {
            try TrustedProxies.parseOption(text)
        }
    }

    @Test func configurationsReadTheOption() throws {
        let hbbs = try HbbsConfiguration(
            environment: ConfigurationEnvironment(inherited: ["TRUSTED_PROXIES": "10.0.0.1"]))
        #expect(hbbs.trustedProxies.trusts(IPAddress(v4Octets: 10, 0, 0, 1)))
        let hbbr = try HbbrConfiguration(
            arguments: HbbrArguments(),
            environment: ConfigurationEnvironment(inherited: ["trusted-proxies": "10.0.0.2"]))
        #expect(hbbr.trustedProxies.trusts(IPAddress(v4Octets: 10, 0, 0, 2)))
    }
}
