import Logging
import NIOCore
import NIOPosix
import Testing

@testable import Rendezvous

@Suite("ServerListResolver")
struct ServerListResolverTests {
    private static let logger = Logger(label: "test.resolver") { _ in SwiftLogNoOpLogHandler() }

    /// A lookup that knows only `names` and records every (host, port) it was asked for.
    private static func fakeResolver(
        knowing names: Set<String>,
        calls: RelaysTestEvents<String>
    ) -> ServerListResolver {
        ServerListResolver(logger: Self.logger) { host, port in
            calls.record("\(host) \(port)")
            guard names.contains(host) else { return [] }
            return [try SocketAddress(ipAddress: "127.0.0.1", port: Int(port))]
        }
    }

    @Test func keepsResolvableEntriesAsOriginalStringsInOrder() {
        let calls = RelaysTestEvents<String>()
        let resolver = Self.fakeResolver(knowing: ["b.example", "a.example", "::1"], calls: calls)
        let kept = resolver.resolve("b.example:21117,,gone.example, a.example,a.example,[::1]:9,::1,", option: "test")
        #expect(kept == ["b.example:21117", "a.example", "[::1]:9", "::1"])
        // No trimming: " a.example" is looked up as it stands, and an entry without a port uses port 0.
        #expect(
            calls.values == [
                "b.example 21117", "gone.example 0", " a.example 0", "a.example 0", "::1 9", "::1 0",
            ])
    }

    @Test func entryListDropsEmptyAndUnresolvableItems() {
        let resolver = Self.fakeResolver(knowing: ["relay"], calls: RelaysTestEvents())
        #expect(resolver.resolve(entries: ["", "relay", "other", "relay:1"], option: "test") == ["relay", "relay:1"])
        #expect(resolver.resolve("", option: "test").isEmpty)
        #expect(resolver.resolve(",,,", option: "test").isEmpty)
    }

    @Test func malformedEntriesAreDroppedWithoutLookup() {
        let calls = RelaysTestEvents<String>()
        let resolver = Self.fakeResolver(knowing: ["relay", ""], calls: calls)
        let kept = resolver.resolve("relay:x,relay:70000,:5,[::1,[relay]:5,relay:", option: "test")
        #expect(kept.isEmpty)
        #expect(calls.values.isEmpty)
    }

    @Test func throwingLookupDropsTheEntry() {
        struct Boom: Error {}
        let resolver = ServerListResolver(logger: Self.logger) { host, _ in
            if host == "boom" { throw Boom() }
            return [try SocketAddress(ipAddress: "127.0.0.1", port: 0)]
        }
        #expect(resolver.resolve("boom,fine", option: "test") == ["fine"])
    }

    @Test(arguments: [
        ("relay", "relay", UInt16?.none),
        ("relay:21117", "relay", 21117),
        ("1.2.3.4:5", "1.2.3.4", 5),
        ("::1", "::1", nil),
        ("2001:db8::1", "2001:db8::1", nil),
        ("[::1]", "::1", nil),
        ("[::1]:21117", "::1", 21117),
    ])
    func endpointParsing(entry: String, host: String, port: UInt16?) {
        let endpoint = ServerEndpoint(entry)
        #expect(endpoint?.host == host)
        #expect(endpoint?.port == port)
    }

    @Test func addressesUseTheDefaultPortOnlyWithoutAPort() throws {
        let calls = RelaysTestEvents<String>()
        let resolver = Self.fakeResolver(knowing: ["relay", "::1"], calls: calls)
        _ = try resolver.addresses(of: "relay", defaultPort: 21117)
        _ = try resolver.addresses(of: "relay:7", defaultPort: 21117)
        _ = try resolver.addresses(of: "::1", defaultPort: 21117)
        _ = try resolver.addresses(of: "[::1]", defaultPort: 21117)
        #expect(calls.values == ["relay 21117", "relay 7", "::1 21117", "::1 21117"])
        #expect(throws: ServerListResolverError.invalidEntry("relay:")) {
            try resolver.addresses(of: "relay:", defaultPort: 1)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func systemLookupResolvesLoopbackAndDropsUnknownNames() {
        let resolver = ServerListResolver(logger: Self.logger)
        let kept = resolver.resolve("127.0.0.1:1,localhost,[::1]:5,::1,no.such.host.invalid", option: "test")
        #expect(kept == ["127.0.0.1:1", "localhost", "[::1]:5", "::1"])
    }

    @Test(.timeLimit(.minutes(1)))
    func systemLookupReturnsAddressesWithThePort() throws {
        let resolver = ServerListResolver(logger: Self.logger)
        let v4 = try resolver.addresses(of: "127.0.0.1", defaultPort: 21117)
        #expect(v4.map(\.port) == [21117])
        #expect(v4.map(\.ipAddress) == ["127.0.0.1"])
        let v6 = try resolver.addresses(of: "[::1]:5", defaultPort: 21117)
        #expect(v6.map(\.port) == [5])
        #expect(v6.map(\.ipAddress) == ["::1"])
    }

    @Test(.timeLimit(.minutes(1)))
    func asyncFormsRunOnTheThreadPool() async throws {
        let resolver = ServerListResolver(logger: Self.logger)
        let pool = NIOThreadPool.singleton
        #expect(
            try await resolver.resolve("127.0.0.1:1,no.such.host.invalid", option: "test", on: pool) == ["127.0.0.1:1"])
        #expect(try await resolver.resolve(entries: ["", "[::1]:5"], option: "test", on: pool) == ["[::1]:5"])
        let addresses = try await resolver.addresses(of: "127.0.0.1", defaultPort: 9, on: pool)
        #expect(addresses.map(\.port) == [9])
    }
}
