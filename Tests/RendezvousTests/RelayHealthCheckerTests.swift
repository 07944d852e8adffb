import Dispatch
import Logging
import NIOCore
import NIOPosix
import RendezvousCore
import RustDeskCore
import ServiceLifecycle
import Testing

@testable import Rendezvous

@Suite("RelayHealthChecker")
struct RelayHealthCheckerTests {
    private static let logger = Logger(label: "test.relay-health") { _ in SwiftLogNoOpLogHandler() }
    private static let settings = RelayHealthChecker.Settings(
        interval: .milliseconds(20),
        connectTimeout: .seconds(2),
        defaultRelayPort: 21117
    )

    /// A TCP listener on 127.0.0.1 that accepts and otherwise ignores connections.
    private static func openListener() async throws -> (channel: any Channel, port: Int) {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = try #require(channel.localAddress?.port)
        return (channel, port)
    }

    /// A loopback port that refuses connections: bound once, then closed.
    /// A port nothing listens on. A just-closed ephemeral port could be reused by a parallel test, so
    /// use TCP port 1 (tcpmux), which is privileged and unused: connecting is refused at once.
    private static func closedPort() async throws -> Int { 1 }

    private static func checker(
        _ relays: RelaySelector,
        settings: RelayHealthChecker.Settings = settings,
        lookup: @escaping ServerListResolver.Lookup = ServerListResolver.systemLookup
    ) -> RelayHealthChecker {
        RelayHealthChecker(
            relays: relays,
            resolver: ServerListResolver(logger: logger, lookup: lookup),
            group: MultiThreadedEventLoopGroup.singleton,
            threadPool: NIOThreadPool.singleton,
            settings: settings,
            logger: logger
        )
    }

    @Test(.timeLimit(.minutes(3)))
    func liveRelayBecomesTheHealthyList() async throws {
        let live = try await Self.openListener()
        defer { live.channel.close(promise: nil) }
        let dead = try await Self.closedPort()
        let relays = RelaySelector(configured: ["127.0.0.1:\(dead)", "127.0.0.1:\(live.port)"])

        let result = await Self.checker(relays).checkOnce()

        #expect(result == ["127.0.0.1:\(live.port)"])
        #expect(relays.healthy == ["127.0.0.1:\(live.port)"])
        #expect(relays.select() == "127.0.0.1:\(live.port)")
    }

    @Test(.timeLimit(.minutes(3)))
    func defaultPortAndEveryResolvedAddressAreTried() async throws {
        let live = try await Self.openListener()
        defer { live.channel.close(promise: nil) }
        let dead = try await Self.closedPort()
        var settings = Self.settings
        settings.defaultRelayPort = UInt16(live.port)
        // "multi" resolves to a refusing address first, so only trying the next address finds the live one.
        let lookup: ServerListResolver.Lookup = { host, port in
            guard host == "multi" else { return try ServerListResolver.systemLookup(host, port) }
            return [
                try SocketAddress(ipAddress: "127.0.0.1", port: dead),
                try SocketAddress(ipAddress: "127.0.0.1", port: Int(port)),
            ]
        }
        let relays = RelaySelector(configured: ["127.0.0.1:\(dead)", "127.0.0.1", "multi"])

        let result = await Self.checker(relays, settings: settings, lookup: lookup).checkOnce()

        #expect(Set(result ?? []) == ["127.0.0.1", "multi"])
        #expect(Set(relays.healthy) == ["127.0.0.1", "multi"])
    }

    @Test(.timeLimit(.minutes(3)))
    func singleConfiguredRelayIsNotChecked() async throws {
        let dead = try await Self.closedPort()
        let lookups = RelaysTestEvents<String>()
        let relays = RelaySelector(configured: ["127.0.0.1:\(dead)"])
        let checker = Self.checker(relays) { host, port in
            lookups.record(host)
            return try ServerListResolver.systemLookup(host, port)
        }

        #expect(await checker.checkOnce() == nil)
        #expect(lookups.values.isEmpty)
        #expect(relays.healthy == ["127.0.0.1:\(dead)"])
    }

    @Test(.timeLimit(.minutes(3)))
    func allDeadLeavesTheHealthyListUnchanged() async throws {
        let live = try await Self.openListener()
        let dead = try await Self.closedPort()
        let relays = RelaySelector(configured: ["127.0.0.1:\(dead)", "127.0.0.1:\(live.port)"])
        let checker = Self.checker(relays)
        #expect(await checker.checkOnce() == ["127.0.0.1:\(live.port)"])

        try await live.channel.close().get()
        #expect(await checker.checkOnce() == [])

        #expect(relays.healthy == ["127.0.0.1:\(live.port)"])
    }

    @Test(.timeLimit(.minutes(3)))
    func resultOfARoundOverlappingAConsoleChangeIsDropped() async throws {
        let live = try await Self.openListener()
        defer { live.channel.close(promise: nil) }
        let dead = try await Self.closedPort()
        let relays = RelaySelector(configured: ["127.0.0.1:\(dead)", "127.0.0.1:\(live.port)"])
        let checker = Self.checker(relays) { host, port in
            relays.replaceConfigured(["new-a", "new-b"])
            return try ServerListResolver.systemLookup(host, port)
        }

        #expect(await checker.checkOnce() == ["127.0.0.1:\(live.port)"])
        #expect(relays.healthy == ["new-a", "new-b"])
    }

    @Test(.timeLimit(.minutes(3)))
    func runChecksRepeatedlyAndStopsOnCancellation() async throws {
        let live = try await Self.openListener()
        defer { live.channel.close(promise: nil) }
        let dead = try await Self.closedPort()
        let lookups = RelaysTestEvents<String>()
        let relays = RelaySelector(configured: ["127.0.0.1:\(dead)", "127.0.0.1:\(live.port)"])
        let checker = Self.checker(relays) { host, port in
            lookups.record(host)
            return try ServerListResolver.systemLookup(host, port)
        }
        let finished = RelaysTestEvents<Void>()
        let service = Task {
            try await checker.run()
            finished.record(())
        }

        // Three rounds of two lookups each prove the timer repeats.
        #expect(await lookups.wait(forCount: 6, timeout: .seconds(10)))
        #expect(relays.healthy == ["127.0.0.1:\(live.port)"])
        service.cancel()
        #expect(await finished.wait(forCount: 1, timeout: .seconds(10)))
    }

    @Test(.timeLimit(.minutes(3)))
    func gracefulShutdownStopsTheChecker() async throws {
        let dead = try await Self.closedPort()
        let lookups = RelaysTestEvents<String>()
        let relays = RelaySelector(configured: ["127.0.0.1:\(dead)", "127.0.0.1:\(dead)"])
        let checker = Self.checker(relays) { host, port in
            lookups.record(host)
            return try ServerListResolver.systemLookup(host, port)
        }
        let group = ServiceGroup(configuration: .init(services: [checker], logger: Self.logger))
        let finished = RelaysTestEvents<Void>()
        Task {
            try await group.run()
            finished.record(())
        }

        #expect(await lookups.wait(forCount: 2, timeout: .seconds(10)))
        await group.triggerGracefulShutdown()
        #expect(await finished.wait(forCount: 1, timeout: .seconds(10)))
    }

    @Test(.timeLimit(.minutes(3)))
    func cancellationDoesNotWaitForASlowLookup() async throws {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        let release = DispatchSemaphore(value: 0)
        let entered = RelaysTestEvents<String>()
        let relays = RelaySelector(configured: ["slow-a", "slow-b"])
        let checker = RelayHealthChecker(
            relays: relays,
            resolver: ServerListResolver(logger: Self.logger) { host, _ in
                entered.record(host)
                release.wait()
                return []
            },
            group: MultiThreadedEventLoopGroup.singleton,
            threadPool: pool,
            settings: Self.settings,
            logger: Self.logger
        )
        let finished = RelaysTestEvents<Void>()
        let service = Task {
            try await checker.run()
            finished.record(())
        }

        #expect(await entered.wait(forCount: 2, timeout: .seconds(10)))
        service.cancel()
        #expect(await finished.wait(forCount: 1, timeout: .seconds(10)))
        #expect(relays.healthy == ["slow-a", "slow-b"])
        release.signal()
        release.signal()
        try await pool.shutdownGracefully()
    }
}
