import APICore
import NIOCore

/// The first handler of an API connection, ahead of any HTTP parsing: while the connection carries
/// only plain heartbeats (`HeartbeatFraming`), it answers them from the raw bytes with the router's
/// exact answer bytes (`HeartbeatResponder`, `HTTPWireResponse`). That is most of the API's traffic
/// (every online client, every few seconds), and the HTTP decoder, the conversion to `HTTPTypes`
/// and the per-part pipeline work were most of its cost (issue 12's throughput goal).
///
/// At the first bytes that are not a complete plain heartbeat (another route, a chunked body, a
/// request that has not fully arrived), it hands the connection over for good: `installHTTP` adds
/// the HTTP pipeline behind it, the unanswered bytes go there from the request boundary, and the
/// front door leaves. The HTTP pipeline then owns deadlines and the idle timeout; until then the
/// front door closes the connection after `idleTimeout` without a request, and on quiesce (hbbs
/// stopping) closes it at once or after the answer it owes.
///
/// Answers go out in request order: while one waits for its commit, reads pause and what already
/// arrived waits in `unread`.
final class HeartbeatFrontDoor: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    typealias InstallHTTP = (ChannelPipeline.SynchronousOperations, HeartbeatFrontDoor) throws -> Void

    private enum State {
        case reading
        /// A heartbeat's answer is pending.
        case answering
        case handedOver
        case closed
    }

    private let responder: HeartbeatResponder
    private let framing: HeartbeatFraming.Limits
    private let idleTimeout: TimeAmount
    private let installHTTP: InstallHTTP
    private var state = State.reading
    private var unread: ByteBuffer?
    /// Inside `serve`, so an answer given at once does not nest a second `serve`.
    private var serving = false
    private var readPending = false
    private var closeAfterAnswer = false
    private var lastRead = NIODeadline.now()
    private var idleTimer: Scheduled<Void>?

    init(
        responder: HeartbeatResponder, framing: HeartbeatFraming.Limits, idleTimeout: TimeAmount,
        installHTTP: @escaping InstallHTTP
    ) {
        self.responder = responder
        self.framing = framing
        self.idleTimeout = idleTimeout
        self.installHTTP = installHTTP
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { scheduleIdleCheck(at: .now() + idleTimeout, context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        lastRead = .now()
        scheduleIdleCheck(at: lastRead + idleTimeout, context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        state = .closed
        idleTimer?.cancel()
        idleTimer = nil
        unread = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch state {
        case .closed: return
        case .handedOver: return context.fireChannelRead(data)
        case .reading, .answering: break
        }
        var bytes = unwrapInboundIn(data)
        if unread == nil { unread = bytes } else { unread?.writeBuffer(&bytes) }
        lastRead = .now()
        // While answering, the bytes wait for the answer.
        if case .reading = state { serve(context) }
    }

    func read(context: ChannelHandlerContext) {
        if case .answering = state {
            readPending = true
        } else {
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else { return context.fireUserInboundEventTriggered(event) }
        switch state {
        case .reading: close(context)
        case .answering: closeAfterAnswer = true
        case .handedOver, .closed: context.fireUserInboundEventTriggered(event)
        }
    }

    /// Answers the complete heartbeats at the front of `unread`, in order, until one must wait for
    /// its commit or the bytes are something else.
    private func serve(_ context: ChannelHandlerContext) {
        guard !serving else { return }
        serving = true
        defer { serving = false }
        while case .reading = state, var bytes = unread, bytes.readableBytes > 0 {
            let framing = framing
            guard let request = bytes.withUnsafeReadableBytes({ HeartbeatFraming.request(in: $0, limits: framing) })
            else { return handOver(context) }
            let body = bytes.getSlice(at: bytes.readerIndex + request.headLength, length: request.bodyLength)
            bytes.moveReaderIndex(forwardBy: request.totalLength)
            unread = bytes.readableBytes > 0 ? bytes : nil
            answer(body ?? ByteBuffer(), context)
        }
    }

    private func answer(_ body: ByteBuffer, _ context: ChannelHandlerContext) {
        state = .answering
        let loop = context.eventLoop
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        responder.answer(body, on: loop) { outcome in
            bound.value.handler.deliver(outcome, bound.value.context)
        }
    }

    private func deliver(_ outcome: Result<HeartbeatAnswer, APIFailure>, _ context: ChannelHandlerContext) {
        guard case .answering = state else { return }
        responder.answeredRaw.increment()
        context.writeAndFlush(wrapOutboundOut(responder.wireBytes(outcome)), promise: nil)
        state = .reading
        if closeAfterAnswer { return close(context) }
        serve(context)
        if case .reading = state, readPending {
            readPending = false
            context.read()
        }
    }

    /// The HTTP pipeline takes the connection from the first unanswered byte on.
    private func handOver(_ context: ChannelHandlerContext) {
        state = .handedOver
        idleTimer?.cancel()
        idleTimer = nil
        do {
            try installHTTP(context.pipeline.syncOperations, self)
        } catch {
            return close(context)
        }
        responder.handedOver.increment()
        let bytes = unread
        unread = nil
        if let bytes {
            context.fireChannelRead(wrapInboundOut(bytes))
            context.fireChannelReadComplete()
        }
        if readPending {
            readPending = false
            context.read()
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func close(_ context: ChannelHandlerContext) {
        state = .closed
        unread = nil
        context.close(promise: nil)
    }

    private func scheduleIdleCheck(at deadline: NIODeadline, _ context: ChannelHandlerContext) {
        idleTimer?.cancel()
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(deadline: deadline) {
            bound.value.handler.idleCheck(bound.value.context)
        }
    }

    private func idleCheck(_ context: ChannelHandlerContext) {
        idleTimer = nil
        switch state {
        case .reading where NIODeadline.now() >= lastRead + idleTimeout: close(context)
        case .reading, .answering:
            scheduleIdleCheck(at: max(lastRead + idleTimeout, .now() + .milliseconds(1)), context)
        case .handedOver, .closed: break
        }
    }
}
