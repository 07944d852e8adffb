import Logging
import NIOCore
import NIOWebSocket
import RelayCore
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO

/// The first stage of every relay connection (hbbr.md §4, §5, §7): on TCP PORT the blocklist at accept
/// and the loopback console; on both ports the RequestRelay unit within the timeout, the licence key,
/// then parking or pairing by uuid in the one waiting table. At pairing, two TCP halves move to the
/// direct relay (`RelayHandoff`); otherwise it installs a `RelayForwarder` (behind a frame codec when a
/// TCP half meets a WebSocket half), passes on what arrived behind the first unit, and removes itself.
/// Unlike the reference, a loopback client that sends a valid frame in its first read is relayed, so
/// clients on the server's own host work.
///
/// The channel runs with autoRead off: this handler reads until the first unit is complete and then
/// stops, so a parked half costs no more than one read's worth of memory. On the WebSocket port it is
/// added after the upgrade and receives whole messages as units.
final class RelayHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let consoleReadLimit = 1024

    private enum State {
        case awaitingFrame
        case parked(uuid: String, id: UInt64)
        case done
    }

    private let context: RelayContext
    private let transport: RelaySide.Transport
    private var logger: Logger
    private var state = State.awaitingFrame
    /// TCP: the bytes read so far, and once parked those behind the first frame.
    private var buffer = ByteBuffer()
    /// WebSocket: the messages that arrived behind the first one while parked.
    private var units: [ByteBuffer] = []
    private var remote: SocketAddr?
    private var isLoopback = false
    private var timeout: ServerTimer?

    /// A TCP PORT connection, added before it is active.
    init(context: RelayContext) {
        self.context = context
        self.transport = .tcp
        self.logger = context.logger
    }

    /// A WebSocket connection, added once the upgrade is done; `remote` is its client address.
    init(context: RelayContext, webSocketClient remote: SocketAddr?) {
        self.context = context
        self.transport = .webSocket
        self.remote = remote
        var logger = context.logger
        logger[metadataKey: "conn.remote"] = "\(remote.map { "\($0)" } ?? "?")"
        logger[metadataKey: "conn.transport"] = "ws"
        self.logger = logger
    }

    func handlerAdded(context channelContext: ChannelHandlerContext) {
        // The upgraded channel is already active: start the first-unit timer and the first read now.
        guard transport == .webSocket, channelContext.channel.isActive else { return }
        let channel = channelContext.channel
        let reasons = context.closeReasons
        timeout = context.clock.schedule(on: channelContext.eventLoop, in: context.settings.firstUnitTimeout) {
            reasons.count(.timeout)
            channel.close(promise: nil)
        }
        channelContext.read()
    }

    func channelActive(context channelContext: ChannelHandlerContext) {
        guard transport == .tcp else { return channelContext.fireChannelActive() }
        remote = channelContext.remoteAddress?.socketAddr
        logger[metadataKey: "conn.remote"] = "\(remote.map { "\($0)" } ?? "?")"
        let ip = remote?.ip.normalized
        isLoopback = context.settings.consoleEnabled && (ip?.isLoopback ?? false)
        if !isLoopback, isBlocked(ip) {
            logger.debug("relay connection blocked")
            return finish(channelContext, reason: .blocked)
        }
        let channel = channelContext.channel
        let limit = isLoopback ? context.settings.consoleTimeout : context.settings.firstUnitTimeout
        let reasons = context.closeReasons
        timeout = context.clock.schedule(on: channelContext.eventLoop, in: limit) {
            reasons.count(.timeout)
            channel.close(promise: nil)
        }
        channelContext.fireChannelActive()
        channelContext.read()
    }

    func channelInactive(context channelContext: ChannelHandlerContext) {
        timeout?.cancel()
        if case .parked(let uuid, let id) = state {
            _ = context.room.remove(uuid: uuid, id: id)
        }
        state = .done
        channelContext.fireChannelInactive()
    }

    func errorCaught(context channelContext: ChannelHandlerContext, error: any Error) {
        logger.debug("relay connection error", metadata: ["error": "\(error)"])
        let reason: CloseReason? =
            if let webSocketError = error as? NIOWebSocketError {
                webSocketError == .invalidFrameLength ? .oversized : .webSocketError
            } else if error is FrameError { .oversized } else { nil }
        finish(channelContext, reason: reason)
    }

    func channelRead(context channelContext: ChannelHandlerContext, data: NIOAny) {
        var chunk = unwrapInboundIn(data)
        switch (state, transport) {
        case (.awaitingFrame, .tcp):
            buffer.writeBuffer(&chunk)
            examine(channelContext)
        case (.awaitingFrame, .webSocket):
            examineMessage(chunk, channelContext)
        case (.parked, .tcp):
            // The rest of the read that carried the frame: forwarded once paired.
            buffer.writeBuffer(&chunk)
        case (.parked, .webSocket):
            units.append(chunk)
        case (.done, _):
            break
        }
    }

    func channelReadComplete(context channelContext: ChannelHandlerContext) {
        if case .awaitingFrame = state { channelContext.read() }
        channelContext.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context channelContext: ChannelHandlerContext, event: Any) {
        if let direct = event as? RelayDirectEvent {
            guard case .parked = state else {
                direct.handoff.deliverFirst(nil)
                return finish(channelContext)
            }
            return giveUpSocket(channelContext) { direct.handoff.deliverFirst($0) }
        }
        guard let paired = event as? RelayPairedEvent else {
            return channelContext.fireUserInboundEventTriggered(event)
        }
        guard case .parked = state else { return finish(channelContext) }
        guard
            installForwarder(
                channelContext, partner: paired.partner, partnerTransport: paired.partnerTransport,
                session: paired.session, direction: .firstToSecond)
        else { return }
        handOver(channelContext)
    }

    /// WebSocket: the first message is the unit; a non-binary one arrives empty and fails to parse.
    private func examineMessage(_ unit: ByteBuffer, _ channelContext: ChannelHandlerContext) {
        guard case .requestRelay(let request) = (try? Hbb_RendezvousMessage(buffer: unit))?.union else {
            logger.debug("relay first message is not a RequestRelay")
            return finish(channelContext, reason: .badRequestRelay)
        }
        timeout?.cancel()
        timeout = nil
        handle(request, channelContext)
    }

    private func examine(_ channelContext: ChannelHandlerContext) {
        let parse: FrameCodec.Parse
        do {
            parse = try buffer.withUnsafeReadableBytes {
                try FrameCodec.parse($0, maximumPayload: context.settings.maximumFirstFramePayload)
            }
        } catch {
            if isLoopback { return runConsole(channelContext) }
            logger.debug("relay first frame too large")
            return finish(channelContext, reason: .oversized)
        }
        guard case .frame(let headerLength, let payloadLength) = parse else {
            // The console reads once; a frame still incomplete after the first read is console text.
            if isLoopback { runConsole(channelContext) }
            return
        }
        let payload = buffer.getSlice(at: buffer.readerIndex + headerLength, length: payloadLength) ?? ByteBuffer()
        let message = try? Hbb_RendezvousMessage(buffer: payload)
        guard case .requestRelay(let request) = message?.union else {
            if isLoopback, message?.union == nil { return runConsole(channelContext) }
            return finish(channelContext, reason: .badRequestRelay)
        }
        buffer.moveReaderIndex(forwardBy: headerLength + payloadLength)
        timeout?.cancel()
        timeout = nil
        if isLoopback, isBlocked(remote?.ip.normalized) { return finish(channelContext, reason: .blocked) }
        handle(request, channelContext)
    }

    private func handle(_ request: Hbb_RequestRelay, _ channelContext: ChannelHandlerContext) {
        let key = context.settings.licenceKey
        if !key.isEmpty, request.licenceKey != key {
            logger.warning("Relay authentication failed")
            return finish(channelContext, reason: .licenceMismatch)
        }
        guard !request.uuid.isEmpty, let remote else { return finish(channelContext, reason: .badRequestRelay) }
        let side = RelaySide(
            id: context.room.makeID(), channel: channelContext.channel, transport: transport, remote: remote)
        let now = context.controls.now()
        let waitFor = Milliseconds(context.settings.pairingTimeout.nanoseconds / 1_000_000)
        switch context.room.arrive(uuid: request.uuid, side: side, now: now, waitFor: waitFor) {
        case .park:
            logger.debug("relay request parked")
            state = .parked(uuid: request.uuid, id: side.id)
            scheduleParkingEnd(uuid: request.uuid, id: side.id, channelContext)
        case .pair(let first):
            logger.debug("relay paired", metadata: ["partner": "\(first.remote)"])
            let session = RelaySession(controls: context.controls, second: remote, logger: logger)
            if transport == .tcp, first.transport == .tcp, let direct = context.direct {
                return handOverDirect(
                    channelContext, first: first.channel, handoff: RelayHandoff(session: session, loop: direct))
            }
            let mine = channelContext.channel
            let drainTimeout = context.settings.drainTimeout
            let clock = context.clock
            first.channel.closeFuture.whenComplete { _ in
                RelayForwarder.closeAfterDraining(mine, drainTimeout: drainTimeout, clock: clock)
            }
            // Both halves get their codecs before either forwards a unit: the first half forwards what
            // it holds as soon as it learns of the pairing, and this half's frame encoder must be there.
            // Events and writes reach the first half's loop in order, so it is ready before our units.
            guard
                installForwarder(
                    channelContext, partner: first.channel, partnerTransport: first.transport, session: session,
                    direction: .secondToFirst)
            else { return first.channel.close(promise: nil) }
            first.channel.pipeline.fireUserInboundEventTriggered(
                RelayPairedEvent(partner: mine, partnerTransport: transport, session: session))
            handOver(channelContext)
        case .reject:
            logger.warning("relay waiting table full")
            finish(channelContext, reason: .waitingTableFull)
        }
    }

    /// TCP met TCP: both sockets move to the direct relay. The parked half gives up its socket when the
    /// event reaches its loop, or is counted as gone if it closes first.
    private func handOverDirect(_ channelContext: ChannelHandlerContext, first: any Channel, handoff: RelayHandoff) {
        first.closeFuture.whenComplete { _ in handoff.deliverFirst(nil) }
        first.pipeline.fireUserInboundEventTriggered(RelayDirectEvent(handoff: handoff))
        logger.debug("relay started", metadata: ["mode": "direct"])
        giveUpSocket(channelContext) { handoff.deliverSecond($0) }
    }

    /// Delivers this connection's socket, with the bytes read behind the first frame, then closes the
    /// channel; the connection lives on in the duplicated descriptor.
    private func giveUpSocket(_ channelContext: ChannelHandlerContext, to deliver: (DirectRelaySocket?) -> Void) {
        timeout?.cancel()
        timeout = nil
        state = .done
        let socket = RelayHandoff.duplicateSocket(of: channelContext).map {
            DirectRelaySocket(fd: $0, leftover: Array(buffer.readableBytesView))
        }
        buffer = ByteBuffer()
        deliver(socket)
        channelContext.close(promise: nil)
    }

    /// After the pairing timeout a half nobody claimed is closed; a paired half is no longer in the table.
    private func scheduleParkingEnd(uuid: String, id: UInt64, _ channelContext: ChannelHandlerContext) {
        let room = context.room
        let channel = channelContext.channel
        timeout = context.clock.schedule(on: channelContext.eventLoop, in: context.settings.pairingTimeout) {
            if room.remove(uuid: uuid, id: id) != nil { channel.close(promise: nil) }
        }
    }

    /// Installs the forwarder behind this handler (hbbr.md §6.1: TCP↔TCP raw; a TCP half facing a
    /// WebSocket half gets a frame decoder and encoder). False when that failed and the half is closing.
    private func installForwarder(
        _ channelContext: ChannelHandlerContext, partner: any Channel, partnerTransport: RelaySide.Transport,
        session: RelaySession, direction: RelaySession.Direction
    ) -> Bool {
        timeout?.cancel()
        timeout = nil
        state = .done
        let mine = channelContext.channel
        if direction == .firstToSecond {
            let drainTimeout = context.settings.drainTimeout
            let clock = context.clock
            partner.closeFuture.whenComplete { _ in
                RelayForwarder.closeAfterDraining(mine, drainTimeout: drainTimeout, clock: clock)
            }
        }
        let forwarder = RelayForwarder(
            partner: partner, session: session, settings: context.settings, clock: context.clock,
            runsChecks: direction == .secondToFirst)
        let framed = transport == .tcp && partnerTransport == .webSocket
        let raw = transport == .tcp && partnerTransport == .tcp
        logger.debug("relay started", metadata: ["mode": "\(raw ? "raw" : framed ? "framed" : "messages")"])
        do {
            // The partner's forwarder stops reading while this channel is not writable.
            let waterMark = ChannelOptions.Types.WriteBufferWaterMark(
                low: context.settings.lowWaterMark, high: context.settings.highWaterMark)
            try mine.syncOptions?.setOption(.writeBufferWaterMark, value: waterMark)
            let pipeline = channelContext.pipeline.syncOperations
            if framed {
                let decoder = ByteToMessageHandler(FrameDecoder(maximumPayload: context.settings.maximumFramePayload))
                let encoder = MessageToByteHandler(FrameEncoder())
                try pipeline.addHandler(decoder, position: .after(self))
                try pipeline.addHandler(encoder, position: .after(decoder))
                try pipeline.addHandler(forwarder, position: .after(encoder))
            } else {
                try pipeline.addHandler(forwarder, position: .after(self))
            }
        } catch {
            finish(channelContext)
            return false
        }
        return true
    }

    /// Hands the forwarder what arrived behind the first unit (raw bytes, bytes for the frame decoder,
    /// or whole messages), then leaves the pipeline. The read-complete makes the forwarder flush and
    /// start reading.
    private func handOver(_ channelContext: ChannelHandlerContext) {
        if buffer.readableBytes > 0 { channelContext.fireChannelRead(NIOAny(buffer)) }
        for unit in units { channelContext.fireChannelRead(NIOAny(unit)) }
        buffer = ByteBuffer()
        units = []
        channelContext.fireChannelReadComplete()
        channelContext.pipeline.syncOperations.removeHandler(context: channelContext, promise: nil)
    }

    private func runConsole(_ channelContext: ChannelHandlerContext) {
        state = .done
        timeout?.cancel()
        let bytes = buffer.readBytes(length: min(buffer.readableBytes, Self.consoleReadLimit)) ?? []
        // Invalid UTF-8 gets no reply, as in the reference.
        guard let text = String(validating: bytes, as: UTF8.self) else { return finish(channelContext) }
        let output = context.console.execute(text)
        var out = channelContext.channel.allocator.buffer(capacity: output.utf8.count)
        out.writeString(output)
        let channel = channelContext.channel
        channelContext.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in channel.close(promise: nil) }
    }

    private func isBlocked(_ ip: IPAddress?) -> Bool {
        guard let ip else { return false }
        return context.controls.blocklist.contains(ip.description)
    }

    private func finish(_ channelContext: ChannelHandlerContext, reason: CloseReason? = nil) {
        if let reason { context.closeReasons.count(reason) }
        state = .done
        timeout?.cancel()
        channelContext.close(promise: nil)
    }
}
