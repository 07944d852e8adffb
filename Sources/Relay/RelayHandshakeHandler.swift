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

    private let services: RelayServices
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
    init(services: RelayServices) {
        self.services = services
        self.transport = .tcp
        self.logger = services.logger
    }

    /// A WebSocket connection, added once the upgrade is done; `remote` is its client address.
    init(services: RelayServices, webSocketClient remote: SocketAddr?) {
        self.services = services
        self.transport = .webSocket
        self.remote = remote
        var logger = services.logger
        logger[metadataKey: "conn.remote"] = "\(remote.map { "\($0)" } ?? "?")"
        logger[metadataKey: "conn.transport"] = "ws"
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // The upgraded channel is already active: start the first-unit timer and the first read now.
        guard transport == .webSocket, context.channel.isActive else { return }
        let channel = context.channel
        let reasons = services.metrics.connectionsClosed
        timeout = services.clock.schedule(on: context.eventLoop, in: services.settings.firstUnitTimeout) {
            reasons.count(.timeout)
            channel.close(promise: nil)
        }
        context.read()
    }

    func channelActive(context: ChannelHandlerContext) {
        guard transport == .tcp else { return context.fireChannelActive() }
        remote = context.remoteAddress?.socketAddr
        logger[metadataKey: "conn.remote"] = "\(remote.map { "\($0)" } ?? "?")"
        let ip = remote?.ip.normalized
        isLoopback = services.settings.consoleEnabled && (ip?.isLoopback ?? false)
        if !isLoopback, isBlocked(ip) {
            logger.debug("relay connection blocked")
            return finish(context, reason: .blocked)
        }
        let channel = context.channel
        let limit = isLoopback ? services.settings.consoleTimeout : services.settings.firstUnitTimeout
        let reasons = services.metrics.connectionsClosed
        timeout = services.clock.schedule(on: context.eventLoop, in: limit) {
            reasons.count(.timeout)
            channel.close(promise: nil)
        }
        context.fireChannelActive()
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        if case .parked(let uuid, let id) = state {
            _ = services.room.remove(uuid: uuid, id: id)
        }
        state = .done
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("relay connection error", metadata: ["error": "\(error)"])
        let reason: CloseReason? =
            if let webSocketError = error as? NIOWebSocketError {
                webSocketError == .invalidFrameLength ? .oversized : .webSocketError
            } else if error is FrameError { .oversized } else { nil }
        finish(context, reason: reason)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var chunk = unwrapInboundIn(data)
        switch (state, transport) {
        case (.awaitingFrame, .tcp):
            buffer.writeBuffer(&chunk)
            examine(context)
        case (.awaitingFrame, .webSocket):
            examineMessage(chunk, context)
        case (.parked, .tcp):
            // The rest of the read that carried the frame: forwarded once paired.
            buffer.writeBuffer(&chunk)
        case (.parked, .webSocket):
            units.append(chunk)
        case (.done, _):
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .awaitingFrame = state { context.read() }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let direct = event as? RelayDirectEvent {
            guard case .parked = state else {
                direct.handoff.deliverFirst(nil)
                return finish(context)
            }
            return giveUpSocket(context) { direct.handoff.deliverFirst($0) }
        }
        guard let paired = event as? RelayPairedEvent else {
            return context.fireUserInboundEventTriggered(event)
        }
        guard case .parked = state else { return finish(context) }
        guard
            installForwarder(
                context, partner: paired.partner, partnerTransport: paired.partnerTransport,
                session: paired.session, direction: .firstToSecond)
        else { return }
        handOver(context)
    }

    /// WebSocket: the first message is the unit; a non-binary one arrives empty and fails to parse.
    private func examineMessage(_ unit: ByteBuffer, _ context: ChannelHandlerContext) {
        guard case .requestRelay(let request) = (try? Hbb_RendezvousMessage(buffer: unit))?.union else {
            logger.debug("relay first message is not a RequestRelay")
            return finish(context, reason: .badRequestRelay)
        }
        timeout?.cancel()
        timeout = nil
        handle(request, context)
    }

    private func examine(_ context: ChannelHandlerContext) {
        let parse: FrameCodec.Parse
        do {
            parse = try buffer.withUnsafeReadableBytes {
                try FrameCodec.parse($0, maximumPayload: services.settings.maximumFirstFramePayload)
            }
        } catch {
            if isLoopback { return runConsole(context) }
            logger.debug("relay first frame too large")
            return finish(context, reason: .oversized)
        }
        guard case .frame(let headerLength, let payloadLength) = parse else {
            // The console reads once; a frame still incomplete after the first read is console text.
            if isLoopback { runConsole(context) }
            return
        }
        let payload = buffer.getSlice(at: buffer.readerIndex + headerLength, length: payloadLength) ?? ByteBuffer()
        let message = try? Hbb_RendezvousMessage(buffer: payload)
        guard case .requestRelay(let request) = message?.union else {
            if isLoopback, message?.union == nil { return runConsole(context) }
            return finish(context, reason: .badRequestRelay)
        }
        buffer.moveReaderIndex(forwardBy: headerLength + payloadLength)
        timeout?.cancel()
        timeout = nil
        if isLoopback, isBlocked(remote?.ip.normalized) { return finish(context, reason: .blocked) }
        handle(request, context)
    }

    private func handle(_ request: Hbb_RequestRelay, _ context: ChannelHandlerContext) {
        let key = services.settings.licenceKey
        if !key.isEmpty, request.licenceKey != key {
            logger.warning("Relay authentication failed")
            return finish(context, reason: .licenceMismatch)
        }
        guard !request.uuid.isEmpty, let remote else { return finish(context, reason: .badRequestRelay) }
        let side = RelaySide(
            id: services.room.makeID(), channel: context.channel, transport: transport, remote: remote)
        let now = services.controls.now()
        let waitFor = Milliseconds(services.settings.pairingTimeout.nanoseconds / 1_000_000)
        switch services.room.arrive(uuid: request.uuid, side: side, now: now, waitFor: waitFor) {
        case .park:
            services.metrics.relayRequests.increment()
            logger.debug("relay request parked")
            state = .parked(uuid: request.uuid, id: side.id)
            scheduleParkingEnd(uuid: request.uuid, id: side.id, context)
        case .pair(let first):
            services.metrics.relayRequests.increment()
            logger.debug("relay paired", metadata: ["partner": "\(first.remote)"])
            let session = RelaySession(
                controls: services.controls, second: remote, metrics: services.metrics, logger: logger)
            if transport == .tcp, first.transport == .tcp, let direct = services.direct {
                return handOverDirect(
                    context, first: first.channel, handoff: RelayHandoff(session: session, loop: direct))
            }
            let mine = context.channel
            let drainTimeout = services.settings.drainTimeout
            let clock = services.clock
            first.channel.closeFuture.whenComplete { _ in
                RelayForwarder.closeAfterDraining(mine, drainTimeout: drainTimeout, clock: clock)
            }
            // Both halves get their codecs before either forwards a unit: the first half forwards what
            // it holds as soon as it learns of the pairing, and this half's frame encoder must be there.
            // Events and writes reach the first half's loop in order, so it is ready before our units.
            guard
                installForwarder(
                    context, partner: first.channel, partnerTransport: first.transport, session: session,
                    direction: .secondToFirst)
            else { return first.channel.close(promise: nil) }
            // Before either forwarder can see a unit or a close: only then can the session end.
            session.begin(transport == .tcp && first.transport == .tcp ? .tcpNIO : .webSocket)
            first.channel.pipeline.fireUserInboundEventTriggered(
                RelayPairedEvent(partner: mine, partnerTransport: transport, session: session))
            handOver(context)
        case .reject:
            logger.warning("relay waiting table full")
            finish(context, reason: .waitingTableFull)
        }
    }

    /// TCP met TCP: both sockets move to the direct relay. The parked half gives up its socket when the
    /// event reaches its loop, or is counted as gone if it closes first.
    private func handOverDirect(_ context: ChannelHandlerContext, first: any Channel, handoff: RelayHandoff) {
        first.closeFuture.whenComplete { _ in handoff.deliverFirst(nil) }
        first.pipeline.fireUserInboundEventTriggered(RelayDirectEvent(handoff: handoff))
        logger.debug("relay started", metadata: ["mode": "direct"])
        giveUpSocket(context) { handoff.deliverSecond($0) }
    }

    /// Delivers this connection's socket, with the bytes read behind the first frame, then closes the
    /// channel; the connection lives on in the duplicated descriptor.
    private func giveUpSocket(_ context: ChannelHandlerContext, to deliver: (DirectRelaySocket?) -> Void) {
        timeout?.cancel()
        timeout = nil
        state = .done
        let socket = RelayHandoff.duplicateSocket(of: context).map {
            DirectRelaySocket(fd: $0, leftover: Array(buffer.readableBytesView))
        }
        buffer = ByteBuffer()
        deliver(socket)
        context.close(promise: nil)
    }

    /// After the pairing timeout a half nobody claimed is closed; a paired half is no longer in the table.
    private func scheduleParkingEnd(uuid: String, id: UInt64, _ context: ChannelHandlerContext) {
        let room = services.room
        let channel = context.channel
        timeout = services.clock.schedule(on: context.eventLoop, in: services.settings.pairingTimeout) {
            if room.remove(uuid: uuid, id: id) != nil { channel.close(promise: nil) }
        }
    }

    /// Installs the forwarder behind this handler (hbbr.md §6.1: TCP↔TCP raw; a TCP half facing a
    /// WebSocket half gets a frame decoder and encoder). False when that failed and the half is closing.
    private func installForwarder(
        _ context: ChannelHandlerContext, partner: any Channel, partnerTransport: RelaySide.Transport,
        session: RelaySession, direction: RelaySession.Direction
    ) -> Bool {
        timeout?.cancel()
        timeout = nil
        state = .done
        let mine = context.channel
        if direction == .firstToSecond {
            let drainTimeout = services.settings.drainTimeout
            let clock = services.clock
            partner.closeFuture.whenComplete { _ in
                RelayForwarder.closeAfterDraining(mine, drainTimeout: drainTimeout, clock: clock)
            }
        }
        let forwarder = RelayForwarder(
            partner: partner, session: session, settings: services.settings, clock: services.clock,
            runsChecks: direction == .secondToFirst)
        let framed = transport == .tcp && partnerTransport == .webSocket
        let raw = transport == .tcp && partnerTransport == .tcp
        logger.debug("relay started", metadata: ["mode": "\(raw ? "raw" : framed ? "framed" : "messages")"])
        do {
            // The partner's forwarder stops reading while this channel is not writable.
            let waterMark = ChannelOptions.Types.WriteBufferWaterMark(
                low: services.settings.lowWaterMark, high: services.settings.highWaterMark)
            try mine.syncOptions?.setOption(.writeBufferWaterMark, value: waterMark)
            let pipeline = context.pipeline.syncOperations
            if framed {
                let decoder = ByteToMessageHandler(FrameDecoder(maximumPayload: services.settings.maximumFramePayload))
                let encoder = MessageToByteHandler(FrameEncoder())
                try pipeline.addHandler(decoder, position: .after(self))
                try pipeline.addHandler(encoder, position: .after(decoder))
                try pipeline.addHandler(forwarder, position: .after(encoder))
            } else {
                try pipeline.addHandler(forwarder, position: .after(self))
            }
        } catch {
            finish(context)
            return false
        }
        return true
    }

    /// Hands the forwarder what arrived behind the first unit (raw bytes, bytes for the frame decoder,
    /// or whole messages), then leaves the pipeline. The read-complete makes the forwarder flush and
    /// start reading.
    private func handOver(_ context: ChannelHandlerContext) {
        if buffer.readableBytes > 0 { context.fireChannelRead(NIOAny(buffer)) }
        for unit in units { context.fireChannelRead(NIOAny(unit)) }
        buffer = ByteBuffer()
        units = []
        context.fireChannelReadComplete()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func runConsole(_ context: ChannelHandlerContext) {
        state = .done
        timeout?.cancel()
        let bytes = buffer.readBytes(length: min(buffer.readableBytes, Self.consoleReadLimit)) ?? []
        // Invalid UTF-8 gets no reply, as in the reference.
        guard let text = String(validating: bytes, as: UTF8.self) else { return finish(context) }
        services.metrics.consoleCommands.increment()
        let output = services.console.execute(text)
        var out = context.channel.allocator.buffer(capacity: output.utf8.count)
        out.writeString(output)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in channel.close(promise: nil) }
    }

    private func isBlocked(_ ip: IPAddress?) -> Bool {
        guard let ip else { return false }
        return services.controls.blocklist.contains(ip.description)
    }

    private func finish(_ context: ChannelHandlerContext, reason: CloseReason? = nil) {
        if let reason { services.metrics.connectionsClosed.count(reason) }
        state = .done
        timeout?.cancel()
        context.close(promise: nil)
    }
}
