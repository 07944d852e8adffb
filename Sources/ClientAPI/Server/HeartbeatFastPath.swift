import APICore
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTPTypes
import Prometheus

/// `POST /api/heartbeat` answered on the connection's event loop, without Hummingbird's per-request
/// machinery (the async channel's bridging, task hops, router, middleware): every online client sends
/// one every few seconds, so this is most of the API's traffic (issue 12's throughput goal). Every
/// other request, and every heartbeat this path does not take, passes through to Hummingbird.
///
/// It answers exactly as the route does (`DeviceRoutes.heartbeat`): the same body decoding
/// (`JSONBody`, `HeartbeatBody`), the same service rules (`DeviceService.heartbeat(_:completion:)`,
/// whose write, when a beat needs one, is committed before the answer), the same bytes
/// (`APIResponse.jsonParts`), counted under the route's label. It takes a heartbeat only when that cannot change what the client sees:
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

    /// What the fast path answers with (shared by every connection).
    struct Responder: Sendable {
        let devices: DeviceService
        let metrics: APIMetrics
        /// The series of the usual answer, kept: looking it up per request was a visible cost.
        let answered: Counter
        static let route = "/api/heartbeat"
        static let limit = BodyLimit.json

        init(devices: DeviceService, metrics: APIMetrics) {
            self.devices = devices
            self.metrics = metrics
            answered = metrics.requestCounter(route: Self.route, status: 200)
        }

        func count(status: Int) {
            if status == 200 { answered.increment() } else { metrics.countRequest(route: Self.route, status: status) }
        }
    }

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

    private let responder: Responder
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

    init(responder: Responder) {
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
            guard (body?.readableBytes ?? 0) + chunk.readableBytes <= Responder.limit else {
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
            path == Responder.route || path.hasPrefix(Responder.route + "?")
        else { return nil }
        let fields = head.headerFields
        guard fields[.transferEncoding] == nil, fields[.expect] == nil else { return nil }
        for value in fields[values: .connection] where value.lowercased() != "keep-alive" { return nil }
        let lengths = fields[values: .contentLength]
        guard let declared = lengths.first else { return 0 }
        guard lengths.count == 1, let length = Int(declared), (0...Responder.limit).contains(length) else {
            return nil
        }
        return length
    }

    private func answer(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        let beat: Heartbeat
        do {
            beat = try JSONBody.decode(HeartbeatBody.self, from: buffer).heartbeat
        } catch {
            respond(APIResponse.jsonParts(["error": error.message], status: error.status), context: context)
            return
        }
        let loop = context.eventLoop
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        responder.devices.heartbeat(beat) { result in
            let parts: (HTTPResponse, ByteBuffer)
            switch result {
            case .success(let answer): parts = APIResponse.jsonParts(HeartbeatReply(answer: answer))
            case .failure:
                let failure = APIFailure.unavailable
                parts = APIResponse.jsonParts(["error": failure.message], status: failure.status)
            }
            if loop.inEventLoop {
                bound.value.handler.respond(parts, context: bound.value.context)
            } else {
                loop.execute { bound.value.handler.respond(parts, context: bound.value.context) }
            }
        }
    }

    /// Writes the answer, then replays what arrived meanwhile.
    private func respond(_ parts: (HTTPResponse, ByteBuffer), context: ChannelHandlerContext) {
        guard !isClosed else { return }
        // Counted before the answer leaves, so whoever reads the answer also sees it counted.
        responder.count(status: parts.0.status.code)
        context.write(wrapOutboundOut(.head(parts.0)), promise: nil)
        context.write(wrapOutboundOut(.body(parts.1)), promise: nil)
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
