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

    private let services: RendezvousServices
    private let console: ConsoleExecutor?
    /// Console commands may resolve DNS (`rs`): they run here, never on the event loop.
    private let threadPool: NIOThreadPool
    private var remote: SocketAddr?
    private var isLoopback = false
    private var buffer = ByteBuffer()
    private var timeout: ServerTimer?
    private var done = false

    init(services: RendezvousServices, console: ConsoleExecutor?, threadPool: NIOThreadPool) {
        self.services = services
        self.console = console
        self.threadPool = threadPool
    }

    func channelActive(context: ChannelHandlerContext) {
        remote = context.remoteAddress?.socketAddr
        isLoopback = console != nil && (remote?.ip.normalized.isLoopback ?? false)
        // The reference console waits 1 s for its command; a loopback connection may also be a client
        // that has not spoken yet, so both get the connection timeout.
        let limit = services.settings.connectionTimeout
        let channel = context.channel
        let metrics = services.metrics
        timeout = services.clock.schedule(on: context.eventLoop, in: limit) {
            metrics.connectionsClosed.count(.timeout)
            channel.close(promise: nil)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        var chunk = unwrapInboundIn(data)
        buffer.writeBuffer(&chunk)
        let verdict = FirstUnitSniffer.sniff(
            buffer, maximumPayload: services.settings.maximumFramePayload, consoleCandidate: isLoopback)
        switch verdict {
        case .message(let message, _): serve(message, context)
        case .console(let text): runConsole(text, context)
        case .needMoreData: break
        case .unreadable:
            services.metrics.connectionsClosed.count(.malformedUnit)
            finish(context)
        case .oversized:
            services.metrics.connectionsClosed.count(.oversized)
            finish(context)
        }
    }

    private func serve(_ message: Hbb_RendezvousMessage, _ context: ChannelHandlerContext) {
        switch message.union {
        case .testNatRequest:
            let port = Int32(remote?.port ?? 0)
            reply(.with { $0.testNatResponse = .with { $0.port = port } }, context)
        case .onlineRequest(let request):
            let now = services.now()
            let registry = services.tables.registry
            let states = OnlineBitmap.make(count: request.peers.count) { index in
                registry.peer(request.peers[index])?.isOnline(now: now) ?? false
            }
            reply(.with { $0.onlineResponse = .with { $0.states = Data(states) } }, context)
        default:
            finish(context)
        }
    }

    private func runConsole(_ text: String?, _ context: ChannelHandlerContext) {
        guard let console, let text else { return finish(context) }
        done = true
        services.metrics.consoleCommands.increment()
        let channel = context.channel
        ConsoleReply.send(threadPool.runIfActive(eventLoop: channel.eventLoop) { console(text) }, on: channel)
    }

    private func reply(_ message: Hbb_RendezvousMessage, _ context: ChannelHandlerContext) {
        done = true
        guard let payload = try? message.byteBuffer(allocator: context.channel.allocator),
            let header = try? FrameCodec.header(forPayloadLength: payload.readableBytes)
        else { return finish(context) }
        var out = context.channel.allocator.buffer(capacity: header.count + payload.readableBytes)
        out.writeBytes(header)
        out.writeImmutableBuffer(payload)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in channel.close(promise: nil) }
    }

    private func finish(_ context: ChannelHandlerContext) {
        done = true
        context.close(promise: nil)
    }
}
