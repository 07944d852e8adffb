import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO

/// A web client's connection to a server's WebSocket port (hbbs PORT+2 at `/ws/id`, hbbr PORT+2 at
/// `/ws/relay`): the HTTP upgrade, then one unit per binary message.
public final class WebSocketTestClient: Sendable {
    public let channel: any Channel
    /// How long `receiveFrame`, `receive` and `receiveBinary` wait when the call names no limit.
    public let receiveTimeout: Duration
    private let inbox = Inbox<WebSocketFrame>()

    /// Connects (from `source` when given, for per-IP rules) and completes the upgrade within 15 s.
    /// - Parameters:
    ///   - headers: sent with the upgrade request after `Host`.
    ///   - maxFrameSize: the largest frame the client accepts from the server.
    public init(
        port: Int, path: String, from source: String? = nil, headers extra: [(String, String)] = [],
        maxFrameSize: Int = 1 << 20, receiveTimeout: Duration = .seconds(15),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws {
        self.receiveTimeout = receiveTimeout
        let inbox = self.inbox
        let upgraded = group.next().makePromise(of: Void.self)
        var bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(15))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: maxFrameSize) { channel, _ in
                        channel.pipeline.addHandler(WebSocketInboxHandler(inbox: inbox, upgraded: upgraded))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                }
            }
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        channel = try await bootstrap.connect(host: "127.0.0.1", port: port).get()
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "127.0.0.1:\(port)")
        for (name, value) in extra { headers.add(name: name, value: value) }
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil))
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(15)) { upgraded.fail(TestTimeout(what: "upgrade")) }
        try await upgraded.futureResult.get()
        timeout.cancel()
    }

    public var localAddress: SocketAddr? { channel.localAddress?.socketAddr }

    /// Sends `message` as one binary message.
    public func send(_ message: Hbb_RendezvousMessage) async throws {
        try await sendFrame(.binary, try message.byteBuffer(allocator: channel.allocator))
    }

    public func sendBinary(_ bytes: [UInt8]) async throws {
        try await sendFrame(.binary, ByteBuffer(bytes: bytes))
    }

    public func sendFrame(_ opcode: WebSocketOpcode, _ data: ByteBuffer, fin: Bool = true) async throws {
        try await channel.writeAndFlush(WebSocketFrame(fin: fin, opcode: opcode, maskKey: .random(), data: data))
    }

    /// Queues a frame without flushing, so several can leave in one TCP segment.
    public func queueFrame(_ opcode: WebSocketOpcode, _ data: ByteBuffer) {
        channel.write(WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data), promise: nil)
    }

    /// The next frame; throws when none arrives within `timeout` (`receiveTimeout` when nil) or the
    /// connection closed.
    public func receiveFrame(timeout: Duration? = nil) async throws -> WebSocketFrame {
        guard let frame = await inbox.next(timeout: timeout ?? receiveTimeout) else {
            throw TestTimeout(what: "a WebSocket frame")
        }
        return frame
    }

    /// The next message's payload decoded as a rendezvous message.
    public func receive(timeout: Duration? = nil) async throws -> Hbb_RendezvousMessage {
        let frame = try await receiveFrame(timeout: timeout)
        return try Hbb_RendezvousMessage(buffer: frame.unmaskedData)
    }

    /// The next binary message's bytes; throws on timeout, close or another opcode.
    public func receiveBinary(timeout: Duration? = nil) async throws -> [UInt8] {
        guard let frame = await inbox.next(timeout: timeout ?? receiveTimeout) else {
            throw TestTimeout(what: "a binary message")
        }
        guard frame.opcode == .binary else { throw TestTimeout(what: "a binary message, got \(frame.opcode)") }
        return Array(buffer: frame.unmaskedData)
    }

    /// Waits until the server closes the connection; false on timeout.
    public func waitForClose(timeout: Duration = .seconds(15)) async -> Bool {
        await TestSupport.waitForClose(of: channel, timeout: timeout)
    }

    /// Whether the connection has closed (by the server, in tests).
    public var isClosed: Bool { !channel.isActive }

    public func close() async { try? await channel.close() }
}

/// Collects the frames a WebSocket test client receives once the upgrade is done.
private final class WebSocketInboxHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = WebSocketFrame
    let inbox: Inbox<WebSocketFrame>
    let upgraded: EventLoopPromise<Void>
    init(inbox: Inbox<WebSocketFrame>, upgraded: EventLoopPromise<Void>) {
        self.inbox = inbox
        self.upgraded = upgraded
    }
    func handlerAdded(context: ChannelHandlerContext) { upgraded.succeed() }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) { inbox.push(unwrapInboundIn(data)) }
    func channelInactive(context: ChannelHandlerContext) { inbox.close() }
    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}
