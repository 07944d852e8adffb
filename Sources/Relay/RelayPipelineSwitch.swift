import NIOCore
import RelayCore
import RustDeskNIO

/// Turns a paired half's pipeline into a relay (hbbr.md §6.1): a `RelayForwarder` behind the
/// handshake handler, with a frame decoder and encoder in front of it when a TCP half faces a
/// WebSocket half. Also arranges that the half closes (after draining) when its partner does.
enum RelayPipelineSwitch {
    static func install(
        _ forwarding: RelayHandshakeRules.Forwarding, after handler: any ChannelHandler,
        in context: ChannelHandlerContext, partner: any Channel, session: RelaySession, runsChecks: Bool,
        services: RelayServices
    ) throws {
        let mine = context.channel
        let settings = services.settings
        let clock = services.clock
        // Each half watches its partner, so either end's close ends the pair.
        partner.closeFuture.whenComplete { _ in
            RelayForwarder.closeAfterDraining(mine, drainTimeout: settings.drainTimeout, clock: clock)
        }
        let forwarder = RelayForwarder(
            partner: partner, session: session, settings: settings, clock: clock, runsChecks: runsChecks)
        // The partner's forwarder stops reading while this channel is not writable.
        let waterMark = ChannelOptions.Types.WriteBufferWaterMark(
            low: settings.lowWaterMark, high: settings.highWaterMark)
        try mine.syncOptions?.setOption(.writeBufferWaterMark, value: waterMark)
        let pipeline = context.pipeline.syncOperations
        guard forwarding == .framed else {
            return try pipeline.addHandler(forwarder, position: .after(handler))
        }
        let decoder = ByteToMessageHandler(FrameDecoder(maximumPayload: settings.maximumFramePayload))
        let encoder = MessageToByteHandler(FrameEncoder())
        try pipeline.addHandler(decoder, position: .after(handler))
        try pipeline.addHandler(encoder, position: .after(decoder))
        try pipeline.addHandler(forwarder, position: .after(encoder))
    }

    /// Passes what arrived behind the first unit (raw bytes, bytes for the frame decoder, or whole
    /// messages) to the handlers behind `context`, then removes its handler. The read-complete makes the
    /// forwarder flush and start reading.
    static func handOver(_ pending: [ByteBuffer], from context: ChannelHandlerContext) {
        for unit in pending { context.fireChannelRead(NIOAny(unit)) }
        context.fireChannelReadComplete()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
