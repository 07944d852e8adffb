import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO
import TestSupport

/// Collects binary messages once the upgrade is done.
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
}

/// A web client's connection to hbbs PORT+2: HTTP upgrade, then one message per binary frame.
final class WebSocketTestClient: Sendable {
    let channel: any Channel
    private let inbox = Inbox<WebSocketFrame>()

    init(
        port: Int, from source: String? = nil, headers extra: [(String, String)] = [],
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws {
        let inbox = self.inbox
        let upgraded = group.next().makePromise(of: Void.self)
        var bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(15))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 1 << 20) { channel, _ in
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
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/ws/id", headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil))
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(15)) { upgraded.fail(TestTimeout(what: "upgrade")) }
        try await upgraded.futureResult.get()
        timeout.cancel()
    }

    var localAddress: SocketAddr? { channel.localAddress?.socketAddr }

    func send(_ message: Hbb_RendezvousMessage) async throws {
        try await sendFrame(.binary, try message.byteBuffer(allocator: channel.allocator))
    }

    func sendFrame(_ opcode: WebSocketOpcode, _ data: ByteBuffer) async throws {
        try await channel.writeAndFlush(WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data))
    }

    func receiveFrame(timeout: Duration = .seconds(15)) async throws -> WebSocketFrame {
        guard let frame = await inbox.next(timeout: timeout) else { throw TestTimeout(what: "a WebSocket frame") }
        return frame
    }

    func receive(timeout: Duration = .seconds(15)) async throws -> Hbb_RendezvousMessage {
        let frame = try await receiveFrame(timeout: timeout)
        return try Hbb_RendezvousMessage(buffer: frame.unmaskedData)
    }

    /// Whether the connection has closed (by the server, in tests).
    var isClosed: Bool { !channel.isActive }

    func close() async { try? await channel.close() }
}
