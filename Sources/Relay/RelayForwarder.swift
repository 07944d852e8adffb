import NIOCore
import RelayCore
import RustDeskCore
import RustDeskNIO

/// One half of a relayed pair (hbbr.md §6.1, design §3): reads units from its own channel and writes
/// them to the partner channel, which may live on another event loop. A unit is a raw chunk when both
/// halves are TCP (only with `directTCPRelay` off; such pairs normally go to `DirectRelayLoop`), else a
/// frame payload or a WebSocket message: the decoders in front of this handler
/// and the partner's encoders do the conversion, so one mechanism serves every mode. Empty units
/// count as activity but are never forwarded.
///
/// The channel runs with autoRead off and this handler asks for each read, so nothing buffers
/// without bound: reading pauses while the partner is not writable (its outbound buffer passed the
/// high-water mark; the partner's forwarder sends `RelayResumeEvent` once it drains below the low-water
/// mark), and while a bandwidth bucket is in debt (resumed by a task on this loop). Writes carry no
/// promise: NIO's own writability tracking replaced a promise and a callback per forwarded unit, which
/// cost ping-pong latency. Installed by `RelayHandshakeHandler` at pairing,
/// which then passes on what arrived behind the first unit and fires `channelReadComplete` to start
/// reading.
final class RelayForwarder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let partner: any Channel
    private let session: RelaySession
    /// Set on the half that arrived second, which runs the pair's periodic checks. Only these two
    /// values are kept, not the settings: thousands of idle halves each hold a forwarder.
    private let checkSchedule: (interval: TimeAmount, idleTimeout: Milliseconds)?
    private let clock: ServerClock
    private var readPending = false
    private var bandwidthPause: ServerTimer?
    private var pauseAfterBurst: Milliseconds = 0
    private var checks: ServerTimer?
    private var stopped = false

    init(
        partner: any Channel, session: RelaySession, settings: RelaySettings, clock: ServerClock, runsChecks: Bool
    ) {
        self.partner = partner
        self.session = session
        self.clock = clock
        checkSchedule =
            runsChecks
            ? (settings.checkInterval, Milliseconds(settings.idleTimeout.nanoseconds / 1_000_000)) : nil
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if let checkSchedule { startChecks(checkSchedule, context: context) }
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

    /// Our channel drained: the partner's forwarder, which writes into it, may read again.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner.pipeline.fireUserInboundEventTriggered(RelayResumeEvent()) }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is RelayResumeEvent {
            readIfAllowed(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Either side's EOF or error ends the pair. The partner is closed by the hook set at pairing
    /// (`closeAfterDraining`), so what was already read still reaches it.
    func channelInactive(context: ChannelHandlerContext) {
        stop()
        if session.end() { session.logger.debug("relay closed", metadata: ["relay": "\(session.usageKey)"]) }
        context.fireChannelInactive()
    }

    /// Closes one half of a pair whose other half closed: first its output, once the writes already
    /// queued on it are done (NIO's half-close waits for them), then entirely; after `drainTimeout` at
    /// the latest. Closing at once would drop what the other half sent just before closing.
    static func closeAfterDraining(_ channel: any Channel, drainTimeout: TimeAmount, clock: ServerClock) {
        channel.flush()
        let drained = channel.eventLoop.makePromise(of: Void.self)
        channel.close(mode: .output, promise: drained)
        drained.futureResult.whenComplete { _ in channel.close(promise: nil) }
        clock.schedule(on: channel.eventLoop, in: drainTimeout) { channel.close(promise: nil) }
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
        session.metrics.relayed(bytes: count)
        // A failed write closes the partner, whose closing ends this half too (channelInactive).
        partner.write(buffer, promise: nil)
    }

    private func readIfAllowed(context: ChannelHandlerContext) {
        guard !stopped, !readPending, bandwidthPause == nil, context.channel.isActive, partner.isWritable
        else { return }
        readPending = true
        context.read()
    }

    private func schedulePauseIfNeeded(context: ChannelHandlerContext) {
        guard pauseAfterBurst > 0, bandwidthPause == nil, !stopped else { return }
        let pause = pauseAfterBurst
        pauseAfterBurst = 0
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        bandwidthPause = clock.schedule(on: context.eventLoop, in: .milliseconds(pause)) {
            let (handler, context) = loopBound.value
            handler.bandwidthPause = nil
            handler.readIfAllowed(context: context)
        }
    }

    private func startChecks(
        _ schedule: (interval: TimeAmount, idleTimeout: Milliseconds), context: ChannelHandlerContext
    ) {
        let session = session
        let partner = partner
        let channel = context.channel
        let idleTimeout = schedule.idleTimeout
        checks = clock.scheduleRepeated(on: context.eventLoop, every: schedule.interval) {
            guard !session.hasEnded else { return false }
            guard session.tick(now: session.controls.now(), idleTimeout: idleTimeout) else { return true }
            channel.close(promise: nil)
            partner.close(promise: nil)
            return false
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
