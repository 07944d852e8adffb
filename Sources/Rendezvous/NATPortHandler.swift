import Foundation
import Logging
import NIOCore
import NIOPosix
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO

/// hbbs's PORT−1 (spec/hbbs.md §11, §12): one request per connection — TestNatRequest (the second
/// NAT probe) or OnlineRequest — then close. A loopback connection whose first read is not a
/// complete RustDesk frame is the text console instead; unlike the reference, a loopback client that
/// does send a frame is served, so clients on the server's own host work.
final class NATPortHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Console replies come from here; nil disables the console (loopback is then a plain client).
    typealias ConsoleExecutor = @Sendable (String) -> String

    static let consoleReadLimit = 1024

    private let context: RendezvousContext
    private let console: ConsoleExecutor?
    /// Console commands may resolve DNS (`rs`): they run here, never on the event loop.
    private let threadPool: NIOThreadPool
    private var remote: SocketAddr?
    private var isLoopback = false
    private var buffer = ByteBuffer()
    private var timeout: ServerTimer?
    private var done = false

    init(context: RendezvousContext, console: ConsoleExecutor?, threadPool: NIOThreadPool) {
        self.context = context
        self.console = console
        self.threadPool = threadPool
    }

    func channelActive(context channelContext: ChannelHandlerContext) {
        remote = channelContext.remoteAddress?.socketAddr
        isLoopback = console != nil && (remote?.ip.normalized.isLoopback ?? false)
        // The reference console waits 1 s for its command; a loopback connection may also be a client
        // that has not spoken yet, so both get the connection timeout.
        let limit = context.settings.connectionTimeout
        let channel = channelContext.channel
        let metrics = context.metrics
        timeout = context.clock.schedule(on: channelContext.eventLoop, in: limit) {
            RendezvousMetrics.increment(metrics.idleTimeouts)
            channel.close(promise: nil)
        }
        channelContext.fireChannelActive()
    }

    func channelInactive(context channelContext: ChannelHandlerContext) {
        timeout?.cancel()
        channelContext.fireChannelInactive()
    }

    func errorCaught(context channelContext: ChannelHandlerContext, error: any Error) {
        channelContext.close(promise: nil)
    }

    func channelRead(context channelContext: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        var chunk = unwrapInboundIn(data)
        buffer.writeBuffer(&chunk)
        let parse: FrameCodec.Parse
        do {
            parse = try buffer.withUnsafeReadableBytes {
                try FrameCodec.parse($0, maximumPayload: context.settings.maximumFramePayload)
            }
        } catch {
            if isLoopback { return runConsole(channelContext) }
            RendezvousMetrics.increment(context.metrics.malformedFrames)
            return finish(channelContext)
        }
        switch parse {
        case .frame(let headerLength, let payloadLength):
            let payload = buffer.getSlice(at: buffer.readerIndex + headerLength, length: payloadLength) ?? ByteBuffer()
            guard let message = try? Hbb_RendezvousMessage(buffer: payload), message.union != nil else {
                if isLoopback { return runConsole(channelContext) }
                return finish(channelContext)
            }
            serve(message, channelContext)
        case .needMoreData:
            // The console reads once; a frame still incomplete after the first read is console text.
            if isLoopback { runConsole(channelContext) }
        }
    }

    private func serve(_ message: Hbb_RendezvousMessage, _ channelContext: ChannelHandlerContext) {
        switch message.union {
        case .testNatRequest:
            let port = Int32(remote?.port ?? 0)
            reply(.with { $0.testNatResponse = .with { $0.port = port } }, channelContext)
        case .onlineRequest(let request):
            let now = context.now()
            let registry = context.state.registry
            let states = OnlineBitmap.make(count: request.peers.count) { index in
                registry.peer(request.peers[index])?.isOnline(now: now) ?? false
            }
            reply(.with { $0.onlineResponse = .with { $0.states = Data(states) } }, channelContext)
        default:
            finish(channelContext)
        }
    }

    private func runConsole(_ channelContext: ChannelHandlerContext) {
        guard let console else { return finish(channelContext) }
        done = true
        let bytes = buffer.readBytes(length: min(buffer.readableBytes, Self.consoleReadLimit)) ?? []
        // Invalid UTF-8 gets no reply, as in the reference.
        guard let text = String(validating: bytes, as: UTF8.self) else { return finish(channelContext) }
        let channel = channelContext.channel
        threadPool.runIfActive(eventLoop: channel.eventLoop) { console(text) }.whenComplete { result in
            guard case .success(let output) = result else { return channel.close(promise: nil) }
            var out = channel.allocator.buffer(capacity: output.utf8.count)
            out.writeString(output)
            channel.writeAndFlush(out).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    private func reply(_ message: Hbb_RendezvousMessage, _ channelContext: ChannelHandlerContext) {
        done = true
        guard let payload = try? message.byteBuffer(allocator: channelContext.channel.allocator),
            let header = try? FrameCodec.header(forPayloadLength: payload.readableBytes)
        else { return finish(channelContext) }
        var out = channelContext.channel.allocator.buffer(capacity: header.count + payload.readableBytes)
        out.writeBytes(header)
        out.writeImmutableBuffer(payload)
        let channel = channelContext.channel
        channelContext.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in channel.close(promise: nil) }
    }

    private func finish(_ channelContext: ChannelHandlerContext) {
        done = true
        channelContext.close(promise: nil)
    }
}
