import Foundation
import Logging
import NIOCore
import NIOPosix
import Observability
import Relay
import RelayCore
import RustDeskCore
import TestSupport
import Testing

/// hbbr's metrics as the registry and the `/metrics` listener export them, and `/healthz`/`/readyz`.
@Suite struct RelayMetricsTests {
    static let loopbackAnyPort = MetricsAddress.loopback(port: 0)

    /// Bytes each way through a TCP pair, on the direct relay thread and through NIO: every byte that
    /// crossed is counted once, and the pair is counted under the engine that relayed it.
    @Test(arguments: [true, false]) func tcpPairCountsItsBytesAndItsLifetime(direct: Bool) async throws {
        let relay = try await TestRelay.start { $0.directTCPRelay = direct }
        let transport = direct ? "tcp_direct" : "tcp_nio"
        let toSecond = TestPattern(seed: 11)
        let toFirst = TestPattern(seed: 12)
        let (first, second) = try await relay.pair(firstPattern: toFirst, secondPattern: toSecond)
        let (forward, back) = (300_000, 70_001)
        try await first.sendPattern(toSecond, count: forward)
        try await second.sendPattern(toFirst, count: back)
        #expect(await second.waitForBytes(forward))
        #expect(await first.waitForBytes(back))
        #expect(!second.received.mismatch && !first.received.mismatch)

        // Everything that arrived was counted before it was written; nothing else crossed.
        #expect(relay.metric("hbbr_relayed_bytes_total") == Double(forward + back))
        #expect(relay.metric("hbbr_relay_requests_total") == 2)
        #expect(relay.metric("hbbr_pairs_total", ["transport": transport]) == 1)
        for other in HbbrMetrics.PairTransport.allCases where other.rawValue != transport {
            #expect(relay.metric("hbbr_pairs_total", ["transport": other.rawValue]) == 0)
        }
        #expect(relay.metric("hbbr_relay_pairs_active", ["transport": transport]) == 1)

        await first.close()
        #expect(await second.waitForClose())
        let registry = relay.registry
        #expect(
            await poll(timeout: .seconds(15)) {
                registry.value("hbbr_relay_pairs_active", ["transport": transport]) == 0
            })
        #expect(relay.metric("hbbr_pairs_total", ["transport": transport]) == 1)
        await relay.stop()
    }

    /// A framed TCP half and a WebSocket half: units cross as payloads (frame headers and WebSocket
    /// framing are not counted), and the pair is a `websocket` one.
    @Test func mixedPairCountsUnitPayloads() async throws {
        let relay = try await TestRelay.start()
        let (tcp, webSocket) = try await relay.mixedPair()
        let payload = TestPattern(seed: 21).bytes(at: 0, count: 1000)
        try await tcp.send(try FrameCodec.encode(payload))
        #expect(try await webSocket.receiveBinary() == payload)
        try await webSocket.sendBinary(Array(payload[..<333]))
        #expect(await tcp.waitForBytes(333 + 2))

        #expect(relay.metric("hbbr_relayed_bytes_total") == 1333)
        #expect(relay.metric("hbbr_pairs_total", ["transport": "websocket"]) == 1)
        #expect(relay.metric("hbbr_relay_pairs_active", ["transport": "websocket"]) == 1)
        await tcp.close()
        let registry = relay.registry
        #expect(
            await poll(timeout: .seconds(15)) {
                registry.value("hbbr_relay_pairs_active", ["transport": "websocket"]) == 0
            })
        await webSocket.close()
        await relay.stop()
    }

    /// The relay IP is only checked against the blacklist when an accounting period closes; from then
    /// on the pair runs under LIMIT_SPEED, and it is counted once however many periods follow.
    @Test func aBlacklistedPairIsCountedAsThrottledOnce() async throws {
        let relay = try await TestRelay.start(blacklist: ["127.0.0.1"])
        let (first, second) = try await relay.pair()
        try await first.send([1, 2, 3])
        #expect(await second.waitForBytes(3))
        #expect(relay.metric("hbbr_pairs_throttled_total") == 0)
        let registry = relay.registry
        let throttled = await relay.clock.advance(by: .seconds(1)) {
            registry.value("hbbr_pairs_throttled_total") == 1
        }
        #expect(throttled)
        // At least one more period closes (at the latest with the next unit): still one throttled pair.
        for _ in 0..<3 { await relay.clock.advance(by: .seconds(1)) }
        try await first.send([4])
        #expect(await second.waitForBytes(4))
        #expect(relay.metric("hbbr_pairs_throttled_total") == 1)
        await first.close()
        await second.close()
        await relay.stop()
    }

    @Test func consoleCommandsAndRefusalsAreCounted() async throws {
        let relay = try await TestRelay.start()
        #expect(relay.metric("hbbr_console_commands_total") == 0)
        _ = try await relay.console("h")
        _ = try await relay.console("no-such-command")
        #expect(relay.metric("hbbr_console_commands_total") == 2)
        // A refused RequestRelay is not an accepted one; console connections close without a reason.
        let noUUID = try await relay.connect()
        try await noUUID.send(try requestRelayFrame(uuid: ""))
        #expect(await noUUID.waitForClose())
        #expect(relay.metric("hbbr_relay_requests_total") == 0)
        for reason in CloseReason.allCases {
            #expect(relay.closed(reason) == (reason == .badRequestRelay ? 1 : 0), "\(reason)")
        }
        await relay.stop()
    }

    /// `/metrics` through the real listener: every hbbr series with its help text, and the waiting
    /// table's size as of the scrape.
    @Test func metricsEndpointExportsTheRelaySeries() async throws {
        let relay = try await TestRelay.start(metricsAddress: Self.loopbackAnyPort)
        let port = try #require(relay.hbbr.metricsAddress()?.port)
        let uuid = UUID().uuidString
        let parked = try await relay.connect()
        try await parked.send(try requestRelayFrame(uuid: uuid))
        try await relay.waitForParked()

        let scrape = try await HTTPTestClient.get(port: port, "/metrics")
        #expect(scrape.status == 200)
        #expect(scrape.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let names = [
            "hbbr_connections_closed_total", "hbbr_relay_requests_total", "hbbr_pairs_total",
            "hbbr_relay_pairs_active", "hbbr_relayed_bytes_total", "hbbr_pairs_throttled_total",
            "hbbr_waiting_halves", "hbbr_console_commands_total",
        ]
        for name in names {
            #expect(scrape.text.contains("# HELP \(name) "), "\(name)")
        }
        #expect(scrape.text.contains("hbbr_waiting_halves 1.0\n"))
        #expect(scrape.text.contains(#"hbbr_pairs_total{transport="tcp_direct"} 0"#))
        #expect(relay.metric("hbbr_waiting_halves") == 1)

        // The gauge is refreshed at scrape time, so the next scrape sees the pairing.
        let partner = try await relay.connect()
        try await partner.send(try requestRelayFrame(uuid: uuid))
        try await relay.waitForParked(0)
        _ = try await HTTPTestClient.get(port: port, "/metrics")
        #expect(relay.metric("hbbr_waiting_halves") == 0)
        await parked.close()
        await partner.close()
        await relay.stop()
    }

    @Test func readyWhileTheRelayListensThenNotReady() async throws {
        let relay = try await TestRelay.start(metricsAddress: Self.loopbackAnyPort)
        let port = try #require(relay.hbbr.metricsAddress()?.port)
        #expect(try await HTTPTestClient.get(port: port, "/healthz").status == 200)
        let ready = try await HTTPTestClient.get(port: port, "/readyz")
        #expect(ready.status == 200)
        #expect(ready.text == "ready\n")

        await relay.server.close()
        let closed = try await HTTPTestClient.get(port: port, "/readyz")
        #expect(closed.status == 503)
        #expect(closed.text == "relay listeners closed\n")
        // Alive still: only readiness follows the relay.
        #expect(try await HTTPTestClient.get(port: port, "/healthz").status == 200)
        await relay.stop()
    }

    @Test func metricsListenerRunsAfterTheRelayAndOnlyWhenAsked() async throws {
        let with = try await TestRelay.start(metricsAddress: Self.loopbackAnyPort)
        #expect(with.hbbr.servicesToRun.count == 2)
        #expect(with.hbbr.servicesToRun.first is RelayServer)
        #expect(with.hbbr.servicesToRun.last is ObservabilityServer)
        await with.stop()

        let without = try await TestRelay.start()
        #expect(without.hbbr.observability == nil)
        #expect(without.hbbr.metricsAddress() == nil)
        #expect(without.hbbr.servicesToRun.count == 1)
        await without.stop()
    }

    /// A metrics port already taken stops start-up with the executable's message, and the relay
    /// listeners bound just before are closed again.
    @Test func aTakenMetricsPortIsAStartupError() async throws {
        let holder = try await TestRelay.start(metricsAddress: Self.loopbackAnyPort)
        let taken = try #require(holder.hbbr.metricsAddress()?.port)
        let address = MetricsAddress.loopback(port: taken)
        var settings = RelaySettings(port: 0, bind: IPAddress("127.0.0.1"))
        settings.checkInterval = .milliseconds(100)
        var logger = Logger(label: "relay-test")
        logger.logLevel = .critical
        let hbbr = HbbrServer(
            settings: settings, controls: RelayControls(configuration: TestRelay.fastConfiguration),
            metricsAddress: address, group: MultiThreadedEventLoopGroup.singleton, logger: logger)
        do {
            try await hbbr.start()
            Issue.record("start succeeded on a taken metrics port")
        } catch {
            #expect(error.description.hasPrefix("Fatal error: cannot listen on metrics address 127.0.0.1:\(taken): "))
        }
        #expect(hbbr.relay.port == nil)
        #expect(hbbr.relay.readiness == .notReady(reasons: ["relay listeners closed"]))
        await holder.stop()
    }
}
