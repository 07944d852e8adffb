import NIOCore
import NIOWebSocket

/// Turns a WebSocket into the same stream of unit payloads the frame codec yields on TCP
/// (spec/wire.md §2.4): each binary message is one unit, and each outbound unit becomes one binary
/// message. Text, ping and pong messages are not units; pings are answered; a close frame is echoed
/// and ends the connection. Place after a `NIOWebSocketFrameAggregator` so fragmented messages arrive
/// whole and bounded.
public final class WebSocketMessageAdapter: ChannelDuplexHandler {
    public typealias InboundIn = WebSocketFrame
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = WebSocketFrame

    /// hbbr passes text, ping and pong on as empty units (hbbr.md §5, §6.1): a first message that is
    /// not binary ends the connection, and later ones keep a relay alive without being forwarded.
    /// hbbs drops them.
    private let nonBinaryAsEmptyUnits: Bool
    private var closing = false

    public init(nonBinaryAsEmptyUnits: Bool = false) {
        self.nonBinaryAsEmptyUnits = nonBinaryAsEmptyUnits
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary:
            context.fireChannelRead(wrapInboundOut(frame.fastUnmaskedData))
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.fastUnmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
            fireEmptyUnit(context)
        case .connectionClose:
            guard !closing else { return context.close(promise: nil) }
            closing = true
            let reply = WebSocketFrame(fin: true, opcode: .connectionClose, data: frame.fastUnmaskedData)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in channel.close(promise: nil) }
        default:
            // Text and pong: not protocol units (the read still counts against the idle timer).
            fireEmptyUnit(context)
        }
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let payload = unwrapOutboundIn(data)
        context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .binary, data: payload)), promise: promise)
    }

    private func fireEmptyUnit(_ context: ChannelHandlerContext) {
        guard nonBinaryAsEmptyUnits else { return }
        context.fireChannelRead(wrapInboundOut(context.channel.allocator.buffer(capacity: 0)))
    }
}
