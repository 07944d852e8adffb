import APICore
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// `POST /api/heartbeat` answered on the connection's event loop, without Hummingbird's per-request
/// machinery (the async channel's bridging, task hops, router, middleware), on connections that
/// `HeartbeatFrontDoor` handed to the HTTP pipeline (they also carry other requests). Every other
/// request, and every heartbeat this path does not take, passes through to Hummingbird.
///
/// It answers exactly as the route does, through `HeartbeatResponder`. It takes a heartbeat only when
/// that cannot change what the client sees:
/// - nothing forwarded is still unanswered on the connection (answers stay in request order);
/// - the head is `POST` on exactly `/api/heartbeat` (query ignored), with no `Transfer-Encoding`, no
///   `Expect`, no `Connection` header other than `keep-alive` (Hummingbird closes after
///   `Connection: close`; HTTP/1.0 is not visible after the codec and is kept alive by both), and a
///   `Content-Length` (or none: an empty body) within `BodyLimit.json`.
/// While its answer is pending, inbound parts are held (reads are paused; a bounded number in case a
/// read already delivered many) and replayed after the answer.
final class HeartbeatFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// The current request's parts go to Hummingbird.
        case forwarding
        /// A heartbeat's body is being read into `body`.
        case collecting
        /// A heartbeat is read; its answer is pending and inbound parts are held.
        case answering
    }

    private enum Held {
        case part(HTTPRequestPart)
        case error(any Error)
    }

    /// Held parts beyond these close the connection: one paused read cannot legitimately deliver more.
    static let maxHeldParts = 512
    static let maxHeldBytes = 512 * 1024

    private let responder: HeartbeatResponder
    private var state = State.idle
    private var body: ByteBuffer?
    /// Requests passed to Hummingbird whose answer's `.end` has not gone out yet.
    private var forwardedInFlight = 0
    private var held = CircularBuffer<Held>()
    private var heldBytes = 0
    private var replaying = false
    /// A read asked for while answering, issued once the answer is out.
    private var readPending = false
    private var isClosed = false

    init(responder: HeartbeatResponder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .answering = state {
            hold(.part(part), context: context)
        } else {
            handle(part, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case .answering = state {
            hold(.error(error), context: context)
        } else {
            context.fireErrorCaught(error)
        }
    }

    func read(context: ChannelHandlerContext) {
        if case .answering = state {
            readPending = true
        } else {
            context.read()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // Only Hummingbird's answers pass here; the fast path writes below this handler.
        if case .end = unwrapOutboundIn(data), forwardedInFlight > 0 { forwardedInFlight -= 1 }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        isClosed = true
    }

    private func handle(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch (state, part) {
        case (.idle, .head(let head)):
            if forwardedInFlight == 0, let length = Self.bodyLength(ifTaken: head) {
                state = .collecting
                body = context.channel.allocator.buffer(capacity: length)
            } else {
                forwardedInFlight += 1
                state = .forwarding
                context.fireChannelRead(wrapInboundOut(part))
            }
        case (.collecting, .body(let chunk)):
            // The decoder holds the body to its Content-Length, which is within the limit.
            guard (body?.readableBytes ?? 0) + chunk.readableBytes <= HeartbeatResponder.limit else {
                context.close(promise: nil)
                return
            }
            body?.writeImmutableBuffer(chunk)
        case (.collecting, .end):
            state = .answering
            let buffer = body ?? ByteBuffer()
            body = nil
            answer(buffer, context: context)
        case (.forwarding, .end):
            state = .idle
            context.fireChannelRead(wrapInboundOut(part))
        default:
            // The rest of a forwarded request (or an order the decoder never produces): Hummingbird's.
            context.fireChannelRead(wrapInboundOut(part))
        }
    }

    /// The body's length when the fast path takes this head, nil when Hummingbird should have it.
    static func bodyLength(ifTaken head: HTTPRequest) -> Int? {
        guard head.method == .post, let path = head.path,
            path == HeartbeatResponder.route || path.hasPrefix(HeartbeatResponder.route + "?")
        else { return nil }
        let fields = head.headerFields
        guard fields[.transferEncoding] == nil, fields[.expect] == nil else { return nil }
        for value in fields[values: .connection] where value.lowercased() != "keep-alive" { return nil }
        let lengths = fields[values: .contentLength]
        guard let declared = lengths.first else { return 0 }
        guard lengths.count == 1, let length = Int(declared), (0...HeartbeatResponder.limit).contains(length) else {
            return nil
        }
        return length
    }

    private func answer(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        responder.answer(buffer, on: context.eventLoop) { outcome in
            bound.value.handler.respond(outcome, context: bound.value.context)
        }
    }

    /// Writes the answer, then replays what arrived meanwhile.
    private func respond(_ outcome: Result<HeartbeatAnswer, APIFailure>, context: ChannelHandlerContext) {
        guard !isClosed else { return }
        let (head, body) = responder.parts(outcome)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        state = .idle
        replayHeld(context: context)
    }

    private func hold(_ item: Held, context: ChannelHandlerContext) {
        if case .part(.body(let chunk)) = item { heldBytes += chunk.readableBytes }
        held.append(item)
        if held.count > Self.maxHeldParts || heldBytes > Self.maxHeldBytes {
            held.removeAll()
            context.close(promise: nil)
        }
    }

    /// Iterative, so a replayed heartbeat answered at once does not nest a second replay.
    private func replayHeld(context: ChannelHandlerContext) {
        guard !replaying else { return }
        replaying = true
        defer { replaying = false }
        var replayed = false
        while !isClosed, !isAnswering, let item = held.popFirst() {
            replayed = true
            switch item {
            case .part(let part):
                if case .body(let chunk) = part { heldBytes -= chunk.readableBytes }
                handle(part, context: context)
            case .error(let error): context.fireErrorCaught(error)
            }
        }
        // The async channel hands reads to Hummingbird at the end of a read batch.
        if replayed, !isClosed { context.fireChannelReadComplete() }
        if !isClosed, !isAnswering, readPending {
            readPending = false
            context.read()
        }
    }

    private var isAnswering: Bool {
        if case .answering = state { return true }
        return false
    }
}
