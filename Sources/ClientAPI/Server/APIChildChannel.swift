import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The API listener's connection: Hummingbird's `HTTP1Channel` pipeline (same decoder limits, same
/// handlers, same per-connection loop from `HTTPChannelHandler.handleHTTP`) with `HeartbeatFastPath`
/// between the connection-state handler and the async channel, so heartbeats are answered on the event
/// loop and everything else goes to `responder` as before. Own type because `HTTP1Channel` takes its
/// extra handlers before the state handler, where a handler that answers would escape its accounting
/// (idle timeout, graceful close after the answer).
struct APIChildChannel: HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let limits: APIServer.Limits
    /// nil: every request goes to `responder`.
    let heartbeat: HeartbeatFastPath.Responder?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            var decoderLimits = NIOHTTPDecoderLimitConfiguration()
            decoderLimits.maxHeaderFieldSize = limits.maxHeaderBytes
            decoderLimits.maxHeaderListSize = limits.maxHeaderBytes
            decoderLimits.maxHeaderFieldCount = 100
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(), withDecoderLimitConfiguration: decoderLimits)
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(
                RequestDeadlineHandler(headTimeout: limits.headTimeout, bodyTimeout: limits.bodyTimeout))
            try pipeline.addHandler(
                HTTPConnectionStateHandler(idleTimeout: Duration(limits.idleTimeout), logger: logger))
            if let heartbeat { try pipeline.addHandler(HeartbeatFastPath(responder: heartbeat)) }
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}
