import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The API listener's connection: Hummingbird's `HTTP1Channel` pipeline (same decoder limits, same
/// handlers, same per-connection loop from `HTTPChannelHandler.handleHTTP`) with `HeartbeatFastPath`
/// between the connection-state handler and the async channel, so heartbeats are answered on the event
/// loop and everything else goes to `responder` as before. With a heartbeat responder, the connection
/// starts with only `HeartbeatFrontDoor`, which installs that pipeline when the first request that is
/// not a plain heartbeat comes. Own type because `HTTP1Channel` takes its extra handlers before the
/// state handler, where a handler that answers would escape its accounting (idle timeout, graceful
/// close after the answer).
struct APIChildChannel: HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let limits: APIServer.Limits
    /// nil: every request goes to `responder`.
    let heartbeat: HeartbeatResponder?

    static let maxHeaderFields = 100

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            if let heartbeat {
                let framing = HeartbeatFraming.Limits(
                    maxHeadBytes: limits.maxHeaderBytes, maxFields: Self.maxHeaderFields,
                    maxBodyBytes: HeartbeatResponder.limit)
                let frontDoor = HeartbeatFrontDoor(
                    responder: heartbeat, framing: framing, idleTimeout: limits.idleTimeout
                ) { pipeline, frontDoor in
                    try addHTTPHandlers(to: pipeline, after: frontDoor, logger: logger)
                }
                try pipeline.addHandler(frontDoor)
            } else {
                try addHTTPHandlers(to: pipeline, after: nil, logger: logger)
            }
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    /// The HTTP pipeline, last or right after `anchor`.
    private func addHTTPHandlers(
        to pipeline: ChannelPipeline.SynchronousOperations, after anchor: (any ChannelHandler)?, logger: Logger
    ) throws {
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        decoderLimits.maxHeaderFieldSize = limits.maxHeaderBytes
        decoderLimits.maxHeaderListSize = limits.maxHeaderBytes
        decoderLimits.maxHeaderFieldCount = Self.maxHeaderFields
        var handlers: [any ChannelHandler] = [
            HTTP1ToHTTPServerCodec(secure: false),
            RequestDeadlineHandler(headTimeout: limits.headTimeout, bodyTimeout: limits.bodyTimeout),
            HTTPConnectionStateHandler(idleTimeout: Duration(limits.idleTimeout), logger: logger),
        ]
        if let heartbeat { handlers.append(HeartbeatFastPath(responder: heartbeat)) }
        let codec = { (position: ChannelPipeline.SynchronousOperations.Position) in
            try pipeline.configureHTTPServerPipeline(
                position: position, withPipeliningAssistance: false, withErrorHandling: false,
                withOutboundHeaderValidation: false, withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: decoderLimits)
        }
        // Decoder and encoder first, then the rest; inserting after `anchor` pushes earlier insertions back.
        if let anchor {
            try pipeline.addHandlers(handlers, position: .after(anchor))
            try codec(.after(anchor))
        } else {
            try codec(.last)
            try pipeline.addHandlers(handlers, position: .last)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}
