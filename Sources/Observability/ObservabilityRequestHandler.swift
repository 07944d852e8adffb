import Logging
import NIOCore
import NIOHTTP1

/// Answers the requests of one connection (after NIO's HTTP/1.1 server pipeline, which orders
/// pipelined requests and answers parse errors with 400). Refuses a body beyond the limit with 413
/// and closes, without waiting for the rest of it.
final class ObservabilityRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case receiving(HTTPRequestHead, bodyBytes: Int)
        /// Refused and closing: whatever else arrives is dropped.
        case refused
    }

    private let routes: ObservabilityRoutes
    private let maxBodyBytes: Int
    private let logger: Logger
    private var state = State.idle

    init(routes: ObservabilityRoutes, maxBodyBytes: Int, logger: Logger) {
        self.routes = routes
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (_, .refused):
            return
        case (.head(let head), _):
            // The parser has already checked that Content-Length is a number.
            let declared = head.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
            if declared > maxBodyBytes { return refuse(context, version: head.version) }
            state = .receiving(head, bodyBytes: 0)
        case (.body(let chunk), .receiving(let head, let bodyBytes)):
            let total = bodyBytes + chunk.readableBytes
            if total > maxBodyBytes { return refuse(context, version: head.version) }
            state = .receiving(head, bodyBytes: total)
        case (.end, .receiving(let head, _)):
            state = .idle
            let response = routes.respond(method: head.method, uri: head.uri)
            write(response, version: head.version, keepAlive: head.isKeepAlive, context)
        case (.body, .idle), (.end, .idle):
            return
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug(
            "observability connection failed",
            metadata: ["conn.remote": "\(context.remoteAddress.map { "\($0)" } ?? "?")", "error": "\(error)"])
        context.close(promise: nil)
    }

    private func refuse(_ context: ChannelHandlerContext, version: HTTPVersion) {
        state = .refused
        let response = ObservabilityResponse(.payloadTooLarge, "request body too large\n")
        write(response, version: version, keepAlive: false, context)
    }

    private func write(
        _ response: ObservabilityResponse, version: HTTPVersion, keepAlive: Bool, _ context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: version, status: response.status, headers: headers))),
            promise: nil)
        // NIO's encoder leaves the body out of answers to HEAD; Content-Length still tells its size.
        var body = context.channel.allocator.buffer(capacity: response.body.count)
        body.writeBytes(response.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
