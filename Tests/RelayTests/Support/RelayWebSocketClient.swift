import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import RelayCore
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO
import TestSupport

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

/// A web client's connection to the relay's PORT+2: HTTP upgrade, then one unit per binary message.
final class RelayWebSocketClient: Sendable {
    let channel: any Channel
    private let inbox = Inbox<WebSocketFrame>()

    init(port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws {
        let inbox = self.inbox
        let upgraded = group.next().makePromise(of: Void.self)
        channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(15))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 64 << 20) { channel, _ in
                        channel.pipeline.addHandler(WebSocketInboxHandler(inbox: inbox, upgraded: upgraded))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "127.0.0.1:\(port)")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/ws/relay", headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil))
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(15)) { upgraded.fail(TestTimeout(what: "upgrade")) }
        try await upgraded.futureResult.get()
        timeout.cancel()
    }

    /// Sends the RequestRelay every relay half starts with, as one binary message.
    func requestRelay(uuid: String, licenceKey: String = "") async throws {
        let message = Hbb_RendezvousMessage.with {
            $0.requestRelay = .with {
                $0.uuid = uuid
                $0.licenceKey = licenceKey
            }
        }
        try await sendFrame(.binary, try message.byteBuffer(allocator: channel.allocator))
    }

    func sendBinary(_ bytes: [UInt8]) async throws {
        try await sendFrame(.binary, ByteBuffer(bytes: bytes))
    }

    func sendFrame(_ opcode: WebSocketOpcode, _ data: ByteBuffer, fin: Bool = true) async throws {
        try await channel.writeAndFlush(WebSocketFrame(fin: fin, opcode: opcode, maskKey: .random(), data: data))
    }

    /// Queues a frame without flushing, so several can leave in one TCP segment.
    func queueFrame(_ opcode: WebSocketOpcode, _ data: ByteBuffer) {
        channel.write(WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data), promise: nil)
    }

    /// The next frame, or nil when none arrives within `timeout` or the connection closed.
    func receiveFrame(timeout: Duration = .seconds(10)) async -> WebSocketFrame? {
        await inbox.next(timeout: timeout)
    }

    /// The next binary message's bytes; throws on timeout, close or another opcode.
    func receiveBinary(timeout: Duration = .seconds(10)) async throws -> [UInt8] {
        guard let frame = await receiveFrame(timeout: timeout) else { throw TestTimeout(what: "a binary message") }
        guard frame.opcode == .binary else { throw TestTimeout(what: "a binary message, got \(frame.opcode)") }
        return Array(buffer: frame.unmaskedData)
    }

    func waitForClose(_ seconds: Double = 15) async -> Bool {
        let channel = channel
        return await poll(timeout: .seconds(seconds)) { !channel.isActive }
    }

    var isClosed: Bool { !channel.isActive }

    func close() async { try? await channel.close() }
}
