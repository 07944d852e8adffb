import NIOCore
import RustDeskCore

/// One half of a relayed pair (hbbr.md §6.1, design §3): reads units from its own channel and writes
/// them to the partner channel, which may live on another event loop. A unit is a raw chunk when both
/// halves are TCP, else a frame payload or a WebSocket message: the decoders in front of this handler
/// and the partner's encoders do the conversion, so one mechanism serves every mode. Empty units
/// count as activity but are never forwarded.
///
/// The channel runs with autoRead off and this handler asks for each read, so nothing buffers
/// without bound: reading pauses while more than the high-water mark of its bytes wait to be written
/// by the partner (resumed by `RelayResumeEvent` once below the low-water mark), and while a bandwidth
/// bucket is in debt (resumed by a task on this loop). Installed by `RelayHandshakeHandler` at pairing,
/// which then passes on what arrived behind the first unit and fires `channelReadComplete` to start
/// reading.
final class RelayForwarder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let partner: any Channel
    private let session: RelaySession
    /// The direction this handler reads.
    private let direction: RelaySession.Direction
    private let settings: RelaySettings
    /// The last write handed to the partner: writes complete in order, so a closing pair waits for it.
    private var lastWrite: EventLoopFuture<Void>?
    /// The half that arrived second runs the pair's periodic checks.
    private let runsChecks: Bool
    private var readPending = false
    private var bandwidthPause: Scheduled<Void>?
    private var pauseAfterBurst: Milliseconds = 0
    private var checks: RepeatedTask?
    private var stopped = false

    init(
        partner: any Channel, session: RelaySession, direction: RelaySession.Direction, settings: RelaySettings,
        runsChecks: Bool
    ) {
        self.partner = partner
        self.session = session
        self.direction = direction
        self.settings = settings
        self.runsChecks = runsChecks
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if runsChecks { startChecks(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        forward(&buffer, context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        readPending = false
        partner.flush()
        schedulePauseIfNeeded(context: context)
        readIfAllowed(context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is RelayResumeEvent {
            readIfAllowed(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Either side's EOF or error ends the pair; what was already read still drains to the partner.
    func channelInactive(context: ChannelHandlerContext) {
        stop()
        if session.end() { session.logger.debug("relay closed", metadata: ["relay": "\(session.usageKey)"]) }
        let partner = partner
        partner.flush()
        if let lastWrite {
            lastWrite.whenComplete { _ in partner.close(promise: nil) }
        } else {
            partner.close(promise: nil)
        }
        partner.eventLoop.scheduleTask(in: settings.drainTimeout) { partner.close(promise: nil) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        session.logger.debug("relay read error", metadata: ["relay": "\(session.usageKey)", "error": "\(error)"])
        context.close(promise: nil)
    }

    private func forward(_ buffer: inout ByteBuffer, context: ChannelHandlerContext) {
        guard !stopped else { return }
        let count = buffer.readableBytes
        let verdict = session.receive(bytes: count, now: session.controls.now())
        if verdict.stop { return closePair(context: context) }
        pauseAfterBurst = max(pauseAfterBurst, verdict.pause)
        // An empty frame or a non-binary WebSocket message: activity, never forwarded (hbbr.md §6.1).
        guard count > 0 else { return }
        _ = session.addInFlight(direction, count)
        let session = session
        let direction = direction
        let source = context.channel
        let lowWaterMark = settings.lowWaterMark
        let write = partner.write(buffer)
        lastWrite = write
        write.whenComplete { result in
            let after = session.removeInFlight(direction, count)
            if case .failure = result {
                source.close(promise: nil)
            } else if after < lowWaterMark, after + count >= lowWaterMark {
                source.pipeline.fireUserInboundEventTriggered(RelayResumeEvent())
            }
        }
    }

    private func readIfAllowed(context: ChannelHandlerContext) {
        guard !stopped, !readPending, bandwidthPause == nil, context.channel.isActive,
            session.inFlightBytes(direction) < settings.highWaterMark
        else { return }
        readPending = true
        context.read()
    }

    private func schedulePauseIfNeeded(context: ChannelHandlerContext) {
        guard pauseAfterBurst > 0, bandwidthPause == nil, !stopped else { return }
        let pause = pauseAfterBurst
        pauseAfterBurst = 0
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        bandwidthPause = context.eventLoop.scheduleTask(in: .milliseconds(pause)) {
            let (handler, context) = loopBound.value
            handler.bandwidthPause = nil
            handler.readIfAllowed(context: context)
        }
    }

    private func startChecks(context: ChannelHandlerContext) {
        let session = session
        let partner = partner
        let channel = context.channel
        let idleTimeout = Milliseconds(settings.idleTimeout.nanoseconds / 1_000_000)
        checks = context.eventLoop.scheduleRepeatedTask(
            initialDelay: settings.checkInterval, delay: settings.checkInterval
        ) { task in
            guard !session.hasEnded else { return task.cancel() }
            if session.tick(now: session.controls.now(), idleTimeout: idleTimeout) {
                task.cancel()
                channel.close(promise: nil)
                partner.close(promise: nil)
            }
        }
    }

    /// Blocklisted during the relay: both halves close at once, without draining.
    private func closePair(context: ChannelHandlerContext) {
        stop()
        partner.close(promise: nil)
        context.close(promise: nil)
    }

    private func stop() {
        stopped = true
        bandwidthPause?.cancel()
        bandwidthPause = nil
        checks?.cancel()
        checks = nil
    }
}
