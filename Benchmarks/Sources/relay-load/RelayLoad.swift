import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bulk one-way throughput of ONE relay pair through hbbr on 127.0.0.1, over TCP (PORT, raw relay)
/// or WebSocket (PORT+2, message relay), with the server's CPU use read from /proc. The WebSocket
/// counterpart of `rdload relay --pairs 1 --dir one` (shared bench), which speaks only TCP.
@main
enum RelayLoad {
    static let usage = """
        usage: relay-load --port PORT [--transport tcp|ws] [--duration S] [--pid SERVER_PID]
                          [--msg-bytes N] [--setup-timeout S]
          Opens one relay pair to hbbr at 127.0.0.1: tcp = two connections to PORT, each sending a
          BytesCodec-framed RequestRelay; ws = two WebSocket connections to PORT+2, each sending the
          RequestRelay as one binary message. A sends a 16-byte token that B must receive, then A
          sends --msg-bytes units (TCP writes or binary messages, default 65536) for --duration
          seconds (default 5) and B counts payload bytes. Prints one RESULT line.
        """

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("--help") || arguments.contains("-h") {
            print(usage)
            return
        }
        do {
            let options = try Options.parse(arguments)
            let report = try await LoadRun(options: options).run()
            print(report.details)
            print(report.resultLine)
        } catch {
            FileDescriptorOutput.standardError.write("relay-load: \(error)\n")
            exit(1)
        }
    }
}

/// What one run measured.
struct Report {
    let options: Options
    let bytes: Int
    let seconds: Double
    /// Server CPU seconds (user + system) during the window; nil without `--pid`.
    let serverCPUSeconds: Double?

    var gbps: Double { Double(bytes) * 8 / seconds / 1e9 }
    var serverCores: Double { serverCPUSeconds.map { $0 / seconds } ?? .nan }
    var gbitPerServerCPUSecond: Double {
        guard let cpu = serverCPUSeconds, cpu > 0 else { return .nan }
        return Double(bytes) * 8 / 1e9 / cpu
    }

    var details: String {
        "relay-load transport=\(options.transport.rawValue) bytes=\(bytes) seconds=\(format(seconds)) "
            + "server_cpu_s=\(serverCPUSeconds.map { format($0) } ?? "nan")"
    }

    var resultLine: String {
        "RESULT mode=relay-load transport=\(options.transport.rawValue) gbps=\(format(gbps)) "
            + "server_cpu=\(format(serverCores)) gbit_per_server_cpu_s=\(format(gbitPerServerCPUSecond)) "
            + "msg_bytes=\(options.messageBytes)"
    }

    private func format(_ value: Double) -> String {
        value.isFinite ? "\((value * 1000).rounded() / 1000)" : "nan"
    }
}

/// One pair on one event loop (the generator runs pinned to one CPU; one loop also keeps A and B
/// on the same thread, so the start signal and the counter need no hand-over).
struct LoadRun {
    let options: Options
    private let token = (0..<16).map { _ in UInt8.random(in: .min ... .max) }
    private let uuid = LoadRun.randomUUID()
    private let counter = ByteCounter()

    init(options: Options) {
        self.options = options
    }

    func run() async throws -> Report {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let report = try await measure(loop: group.next())
            try await group.shutdownGracefully()
            return report
        } catch {
            // Shutting the group down closes whatever is still open.
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private func measure(loop: any EventLoop) async throws -> Report {
        let proven = loop.makePromise(of: Void.self)
        let proof = PairingProof(token: token, promise: proven)
        let counter = counter
        let sideA: any Channel
        let sideB: any Channel
        switch options.transport {
        case .tcp:
            let chunk = ByteBuffer(bytes: payloadPattern(count: options.messageBytes))
            sideA = try await connectTCP(loop: loop) { BulkSender(units: .raw(chunk)) }
            sideB = try await connectTCP(loop: loop) { TCPReceiver(proof: proof, counter: counter) }
            try await sideA.writeAndFlush(ByteBuffer(bytes: token))
        case .ws:
            let frames = MaskedBinaryFrames(payloadBytes: options.messageBytes)
            sideA = try await connectWebSocket(loop: loop, first: true) { BulkSender(units: .webSocket(frames)) }
            sideB = try await connectWebSocket(loop: loop, first: false) {
                WebSocketReceiver(proof: proof, counter: counter)
            }
            try await sideA.writeAndFlush(
                WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: ByteBuffer(bytes: token)))
        }
        try await within(options.setupTimeout, "pairing proof (token from A to B)", proven.futureResult, loop: loop)

        let cpuBefore = try serverCPU()
        let start = ContinuousClock.now
        let bytesBefore = counter.bytes
        sideA.pipeline.fireUserInboundEventTriggered(StartBulk())
        try await Task.sleep(for: .milliseconds(Int(options.duration * 1000)))
        let bytes = counter.bytes - bytesBefore
        let elapsed = start.duration(to: .now)
        let cpuAfter = try serverCPU()
        guard sideA.isActive, sideB.isActive else { throw LoadError.closed("the pair ended during the window") }
        sideA.close(promise: nil)
        sideB.close(promise: nil)

        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let cpu = cpuBefore.flatMap { before in cpuAfter.map { $0 - before } }
        return Report(options: options, bytes: bytes, seconds: seconds, serverCPUSeconds: cpu)
    }

    private func serverCPU() throws -> Double? {
        guard let pid = options.pid else { return nil }
        guard let seconds = ServerCPU.seconds(pid: pid) else { throw LoadError.closed("cannot read /proc/\(pid)/stat") }
        return seconds
    }

    private func bootstrap(loop: any EventLoop) -> ClientBootstrap {
        ClientBootstrap(group: loop)
            .connectTimeout(.milliseconds(Int64(options.setupTimeout * 1000)))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            // Up to 1 MiB queued before A stops: several units per flush without unbounded memory.
            .channelOption(.writeBufferWaterMark, value: .init(low: 256 << 10, high: 1 << 20))
            .channelOption(
                .recvAllocator,
                value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 64 << 10, maximum: 256 << 10))
    }

    private func requestRelay() -> Hbb_RendezvousMessage {
        .with { $0.requestRelay = .with { $0.uuid = uuid } }
    }

    /// A TCP half: connects to PORT and sends the RequestRelay as one BytesCodec frame.
    private func connectTCP(
        loop: any EventLoop, handler makeHandler: @escaping @Sendable () -> any ChannelHandler
    ) async throws -> any Channel {
        let channel = try await bootstrap(loop: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(makeHandler()) }
            }
            .connect(host: "127.0.0.1", port: options.port)
            .get()
        let frame = try FrameCodec.encode(try requestRelay().serializedBytes())
        try await channel.writeAndFlush(ByteBuffer(bytes: frame))
        return channel
    }

    /// A WebSocket half: connects to PORT+2, upgrades on path `/` (NIO's client upgrader), then sends
    /// the RequestRelay as one masked binary message. `first` puts the handler before NIO's frame
    /// codec (side A writes encoded frames itself), else it goes last and receives frames.
    private func connectWebSocket(
        loop: any EventLoop, first: Bool, handler makeHandler: @escaping @Sendable () -> any ChannelHandler
    ) async throws -> any Channel {
        let port = options.port + 2
        let upgraded = loop.makePromise(of: Void.self)
        let channel = try await bootstrap(loop: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Accept what hbbr sends: messages up to its own 16 MiB frame limit.
                    let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 16 << 20) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                makeHandler(), position: first ? .first : .last)
                            upgraded.succeed()
                        }
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        channel.closeFuture.whenComplete { _ in upgraded.fail(LoadError.upgradeFailed) }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "127.0.0.1:\(port)")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil))
        try await within(options.setupTimeout, "WebSocket upgrade", upgraded.futureResult, loop: loop)
        let message = try requestRelay().byteBuffer(allocator: channel.allocator)
        try await channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: message))
        return channel
    }

    /// Waits for `future`, failing after `seconds`: every set-up step is bounded.
    private func within(
        _ seconds: Double, _ what: String, _ future: EventLoopFuture<Void>, loop: any EventLoop
    ) async throws {
        let bounded = loop.makePromise(of: Void.self)
        future.cascade(to: bounded)
        let timer = loop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
            bounded.fail(LoadError.timeout(what))
        }
        defer { timer.cancel() }
        try await bounded.futureResult.get()
    }

    /// A random version-4 UUID in its usual text form, as RustDesk clients send it.
    private static func randomUUID() -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }
        return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
    }
}

/// Unbuffered writes to a file descriptor: standard error without Foundation, and without the C
/// `stderr` global, which strict concurrency rejects.
struct FileDescriptorOutput {
    static let standardError = FileDescriptorOutput(fd: 2)
    let fd: Int32

    func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            #if canImport(Glibc)
                _ = Glibc.write(fd, bytes.baseAddress, bytes.count)
            #else
                _ = Darwin.write(fd, bytes.baseAddress, bytes.count)
            #endif
        }
    }
}
