import Foundation
import Logging
import NIOCore
import NIOPosix
import Prometheus
import Relay
import RelayCore
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO
import Synchronization
import TestSupport

/// A deterministic byte stream: a pseudo-random block repeated with a prime period, so lost,
/// duplicated or reordered chunks show up when compared with memcmp (fast even in debug builds).
struct TestPattern: Sendable {
    static let period = 1_048_573
    let block: [UInt8]

    init(seed: UInt64) {
        var state = seed | 1
        var bytes = [UInt8](repeating: 0, count: Self.period)
        for index in bytes.indices {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            bytes[index] = UInt8(truncatingIfNeeded: state)
        }
        block = bytes
    }

    /// `count` bytes of the stream starting at `offset`.
    func bytes(at offset: Int, count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var position = offset % Self.period
        while out.count < count {
            let take = min(count - out.count, Self.period - position)
            out.append(contentsOf: block[position..<(position + take)])
            position = 0
        }
        return out
    }

    /// Whether `buffer` equals the stream at `offset`.
    func matches(_ buffer: ByteBuffer, at offset: Int) -> Bool {
        buffer.withUnsafeReadableBytes { received in
            block.withUnsafeBytes { expected in
                var done = 0
                var position = offset % Self.period
                while done < received.count {
                    let take = min(received.count - done, Self.period - position)
                    guard let left = received.baseAddress, let right = expected.baseAddress,
                        memcmp(left + done, right + position, take) == 0
                    else { return false }
                    done += take
                    position = 0
                }
                return true
            }
        }
    }
}

/// What a test client saw: bytes (checked against a pattern or kept), and whether it closed.
final class ReceivedStream: Sendable {
    struct State {
        var count = 0
        var mismatch = false
        var kept = ByteBuffer()
        var closed = false
    }

    /// Guards the state; written by the client's event loop, read by the test.
    let state = Mutex(State())
    let pattern: TestPattern?

    init(pattern: TestPattern?) { self.pattern = pattern }

    var count: Int { state.withLock { $0.count } }
    var mismatch: Bool { state.withLock { $0.mismatch } }
    var closed: Bool { state.withLock { $0.closed } }
    var kept: ByteBuffer { state.withLock { $0.kept } }
}

/// Records what arrives on a test client's channel into a `ReceivedStream`.
final class ReceiverHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let stream: ReceivedStream

    init(stream: ReceivedStream) { self.stream = stream }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let count = buffer.readableBytes
        stream.state.withLock { state in
            if let pattern = stream.pattern {
                if !pattern.matches(buffer, at: state.count) { state.mismatch = true }
            } else {
                state.kept.writeBuffer(&buffer)
            }
            state.count += count
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        stream.state.withLock { $0.closed = true }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// One raw TCP client of the relay.
struct TestClient: Sendable {
    let channel: any Channel
    let received: ReceivedStream

    static func connect(
        port: Int, pattern: TestPattern? = nil, autoRead: Bool = true, group: any EventLoopGroup
    ) async throws -> TestClient {
        let received = ReceivedStream(pattern: pattern)
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.autoRead, value: autoRead)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ReceiverHandler(stream: received))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return TestClient(channel: channel, received: received)
    }

    func send(_ bytes: [UInt8]) async throws {
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        try await channel.writeAndFlush(buffer).get()
    }

    /// Sends `count` bytes of `pattern` in 256 KiB writes, each awaited (so the client never buffers much).
    func sendPattern(_ pattern: TestPattern, count: Int) async throws {
        var offset = 0
        while offset < count {
            let take = min(256 * 1024, count - offset)
            try await send(pattern.bytes(at: offset, count: take))
            offset += take
        }
    }

    /// Waits until the connection has closed; false on timeout.
    func waitForClose(timeout: Duration = .seconds(15)) async -> Bool {
        await poll(timeout: timeout) { received.closed }
    }

    /// Waits until at least `count` bytes have arrived; false on timeout.
    func waitForBytes(_ count: Int, timeout: Duration = .seconds(30)) async -> Bool {
        await poll(timeout: timeout) { received.count >= count }
    }

    func close() async {
        try? await channel.close()
    }
}

/// The framed RequestRelay every relay half sends first.
func requestRelayFrame(uuid: String, licenceKey: String = "") throws -> [UInt8] {
    let message = Hbb_RendezvousMessage.with {
        $0.requestRelay = .with {
            $0.uuid = uuid
            $0.licenceKey = licenceKey
        }
    }
    return try FrameCodec.encode(try message.serializedBytes())
}

extension WebSocketTestClient {
    /// Sends the RequestRelay every relay half starts with, as one binary message.
    func requestRelay(uuid: String, licenceKey: String = "") async throws {
        try await send(
            .with {
                $0.requestRelay = .with {
                    $0.uuid = uuid
                    $0.licenceKey = licenceKey
                }
            })
    }
}

/// A relay server on an ephemeral loopback port, stopped by `stop()`. Its clock runs with real time
/// unless a test passes a frozen one, and `clock.advance` brings every timeout, idle check and
/// bandwidth pause forward. Not frozen by default: the limiter makes a pair's first read pause for a
/// millisecond (it starts with no credit), which a frozen clock would never end.
struct TestRelay: Sendable {
    let hbbr: HbbrServer
    let port: Int
    let clock: TestClock
    var server: RelayServer { hbbr.relay }
    var controls: RelayControls { server.controls }
    /// What `/metrics` exports; read with `registry.value(name, labels)`.
    var registry: PrometheusCollectorRegistry { hbbr.metrics.registry }

    static func start(
        configuration: HbbrConfiguration = TestRelay.fastConfiguration,
        blacklist: [String] = [], blocklist: [String] = [],
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        clock: TestClock = TestClock(running: true), metricsAddress: MetricsAddress? = nil,
        _ adjust: (inout RelaySettings) -> Void = { _ in }
    ) async throws -> TestRelay {
        var settings = RelaySettings(port: 0, bind: IPAddress("127.0.0.1"))
        // The direct relay polls at this interval of real time, so it sees the test's clock moves soon.
        settings.checkInterval = .milliseconds(100)
        adjust(&settings)
        let controls = RelayControls(
            configuration: configuration, blacklist: RelayIPList(blacklist), blocklist: RelayIPList(blocklist),
            now: { clock.now() })
        var logger = Logger(label: "relay-test")
        logger.logLevel =
            ProcessInfo.processInfo.environment["RELAY_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        let hbbr = HbbrServer(
            settings: settings, controls: controls, metricsAddress: metricsAddress, clock: clock.serverClock,
            group: group, logger: logger)
        let port = try await hbbr.start()
        return TestRelay(hbbr: hbbr, port: port, clock: clock)
    }

    /// Bandwidth caps far above what loopback tests move, so only the test's own limits apply.
    static let fastConfiguration = HbbrConfiguration(
        singleBandwidth: 1 << 40, totalBandwidth: 1 << 40, limitSpeed: 1 << 40)

    func connect(pattern: TestPattern? = nil, autoRead: Bool = true) async throws -> TestClient {
        try await TestClient.connect(
            port: port, pattern: pattern, autoRead: autoRead, group: MultiThreadedEventLoopGroup.singleton)
    }

    /// Two clients paired under a fresh uuid; the first is parked before the second arrives.
    func pair(
        firstPattern: TestPattern? = nil, secondPattern: TestPattern? = nil, licenceKey: String = ""
    ) async throws -> (TestClient, TestClient) {
        let uuid = UUID().uuidString
        let first = try await connect(pattern: firstPattern)
        try await first.send(try requestRelayFrame(uuid: uuid, licenceKey: licenceKey))
        let server = server
        guard await poll(timeout: .seconds(15), { server.waitingCount > 0 }) else { throw TestTimeout(what: "parking") }
        let second = try await connect(pattern: secondPattern)
        try await second.send(try requestRelayFrame(uuid: uuid, licenceKey: licenceKey))
        return (first, second)
    }

    /// Sends one console line from loopback and returns the reply.
    func console(_ line: String) async throws -> String {
        let client = try await connect()
        try await client.send(Array(line.utf8))
        guard await client.waitForClose() else { throw TestTimeout(what: "console reply") }
        var kept = client.received.kept
        return kept.readString(length: kept.readableBytes) ?? ""
    }

    func stop() async {
        await hbbr.observability?.close()
        await server.close()
    }
}

extension TestRelay {
    /// `hbbr_connections_closed_total{reason}`; nil when the series is not exported.
    func closed(_ reason: CloseReason) -> Double? {
        registry.value("hbbr_connections_closed_total", ["reason": reason.rawValue])
    }

    /// A series of this relay's registry, -1 when it is not exported (so a missing series fails every
    /// comparison with a count).
    func metric(_ name: String, _ labels: [String: String] = [:]) -> Double {
        registry.value(name, labels) ?? -1
    }
}
