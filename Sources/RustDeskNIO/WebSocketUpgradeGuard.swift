import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Sits behind the HTTP upgrade handler of a WebSocket port until the upgrade happens (the upgrade
/// pipeline handler removes it). A request that reaches it did not ask for a WebSocket, and an error
/// here is a broken handshake: either way the connection is answered 400 / closed and counted.
public final class WebSocketUpgradeGuard: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    public typealias InboundIn = HTTPServerRequestPart
    public typealias OutboundOut = HTTPServerResponsePart

    private let onFailure: @Sendable () -> Void

    public init(onFailure: @escaping @Sendable () -> Void) {
        self.onFailure = onFailure
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else { return }
        onFailure()
        var headers = HTTPHeaders()
        headers.add(name: "Connection", value: "close")
        headers.add(name: "Content-Length", value: "0")
        let head = HTTPResponseHead(version: request.version, status: .badRequest, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        onFailure()
        context.close(promise: nil)
    }
}

/// WebSocket errors after the upgrade (oversized or badly fragmented messages): NIO's aggregator and
/// decoder report them as `NIOWebSocketError`.
extension Error {
    public var isWebSocketProtocolError: Bool { self is NIOWebSocketError }
}
