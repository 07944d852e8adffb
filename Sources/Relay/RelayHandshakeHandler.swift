import Logging
import NIOCore
import NIOWebSocket
import RelayCore
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO

/// The first stage of every relay connection (hbbr.md §4, §5, §7): on TCP PORT the blocklist at accept
/// and the loopback console (`FirstUnitSniffer`); on both ports the first unit within the timeout, then
/// what `RelayHandshakeRules` decides against the waiting table: park, pair or close. At pairing, two
/// TCP halves move to the direct relay (`RelayHandoff`); otherwise `RelayPipelineSwitch` installs the
/// forwarders, this handler passes on what arrived behind the first unit, and removes itself.
///
/// The channel runs with autoRead off: this handler reads until the first unit is complete and then
/// stops, so a parked half costs no more than one read's worth of memory. On the WebSocket port it is
/// added after the upgrade and receives whole messages as units.
final class RelayHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        /// Reading the first unit. TCP: the bytes read so far; `consoleCandidate` for a loopback client
        /// with the console on (WebSocket: never).
        case awaitingUnit(read: ByteBuffer, consoleCandidate: Bool)
        /// In the waiting table. `pending` arrived behind the first unit (TCP chunks or WebSocket
        /// messages) and goes to the partner once paired.
        case parked(uuid: String, id: UInt64, pending: [ByteBuffer])
        /// Relaying, handed over, or closing: nothing more to read here.
        case done
    }

    private let services: RelayServices
    private let transport: RelaySide.Transport
    private var logger: Logger
    private var state = State.awaitingUnit(read: ByteBuffer(), consoleCandidate: false)
    /// The first-unit (or console) timeout, then the pairing timeout while parked.
    private var timer: ServerTimer?
    private var remote: SocketAddr?

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
        startTimeout(services.settings.firstUnitTimeout, context)
        context.read()
    }

    func channelActive(context: ChannelHandlerContext) {
        guard transport == .tcp else { return context.fireChannelActive() }
        remote = context.remoteAddress?.socketAddr
        logger[metadataKey: "conn.remote"] = "\(remote.map { "\($0)" } ?? "?")"
        let ip = remote?.ip.normalized
        let consoleCandidate = services.settings.consoleEnabled && (ip?.isLoopback ?? false)
        // A loopback client is checked once its first unit shows it is not the console.
        if !consoleCandidate, isBlocked(ip) {
            logger.debug("relay connection blocked")
            return finish(context, reason: .blocked)
        }
        state = .awaitingUnit(read: ByteBuffer(), consoleCandidate: consoleCandidate)
        let settings = services.settings
        startTimeout(consoleCandidate ? settings.consoleTimeout : settings.firstUnitTimeout, context)
        context.fireChannelActive()
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        if case .parked(let uuid, let id, _) = state {
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
        switch state {
        case .awaitingUnit(var read, let consoleCandidate):
            // Leaves `state` first so `read` is the buffer's only reference and grows without a copy.
            state = .done
            guard transport == .tcp else {
                // The message is the unit; a non-binary one arrives empty and is no RequestRelay.
                let request = (try? Hbb_RendezvousMessage(buffer: chunk)).flatMap(RelayRequest.init)
                if request == nil { logger.debug("relay first message is not a RequestRelay") }
                return arrive(request, pending: [], context)
            }
            read.writeBuffer(&chunk)
            sniff(read, consoleCandidate: consoleCandidate, context)
        case .parked(let uuid, let id, var pending):
            state = .done
            // The rest of the read that carried the first unit: forwarded once paired.
            pending.append(chunk)
            state = .parked(uuid: uuid, id: id, pending: pending)
        case .done:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .awaitingUnit = state { context.read() }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let direct = event as? RelayDirectEvent {
            guard case .parked(_, _, let pending) = state else {
                direct.handoff.deliverFirst(nil)
                return finish(context)
            }
            return giveUpSocket(context, pending: pending) { direct.handoff.deliverFirst($0) }
        }
        guard let paired = event as? RelayPairedEvent else {
            return context.fireUserInboundEventTriggered(event)
        }
        guard case .parked(_, _, let pending) = state else { return finish(context) }
        guard
            installForwarder(
                context, partner: paired.partner, partnerTransport: paired.partnerTransport,
                session: paired.session, runsChecks: false)
        else { return }
        RelayPipelineSwitch.handOver(pending, from: context)
    }

    /// TCP: decides from everything read so far whether it is the first frame, console text, or not yet.
    private func sniff(_ read: ByteBuffer, consoleCandidate: Bool, _ context: ChannelHandlerContext) {
        let verdict = FirstUnitSniffer.sniff(
            read, maximumPayload: services.settings.maximumFirstFramePayload, consoleCandidate: consoleCandidate)
        switch verdict {
        case .needMoreData:
            state = .awaitingUnit(read: read, consoleCandidate: consoleCandidate)
        case .console(let text):
            runConsole(text, context)
        case .oversized:
            logger.debug("relay first frame too large")
            finish(context, reason: .oversized)
        case .unreadable:
            finish(context, reason: .badRequestRelay)
        case .message(let message, let frameLength):
            if consoleCandidate, isBlocked(remote?.ip.normalized) { return finish(context, reason: .blocked) }
            var behind = read
            behind.moveReaderIndex(forwardBy: frameLength)
            arrive(RelayRequest(message), pending: behind.readableBytes > 0 ? [behind] : [], context)
        }
    }

    /// Carries out `RelayHandshakeRules.arrive` for this half's first unit.
    private func arrive(_ request: RelayRequest?, pending: [ByteBuffer], _ context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        // Not an IP socket: there is no address to key the pair's usage entry on.
        guard let remote else { return finish(context, reason: .badRequestRelay) }
        let side = RelaySide(
            id: services.room.makeID(), channel: context.channel, transport: transport, remote: remote)
        let action = services.room.arrive(
            request, side: side, licenceKey: services.settings.licenceKey, directRelay: services.direct != nil,
            now: services.controls.now(),
            waitFor: Milliseconds(services.settings.pairingTimeout.nanoseconds / 1_000_000))
        switch action {
        case .park(let uuid, _):
            services.metrics.relayRequests.increment()
            logger.debug("relay request parked")
            state = .parked(uuid: uuid, id: side.id, pending: pending)
            scheduleParkingEnd(uuid: uuid, id: side.id, context)
        case .pair(let first, let relay):
            services.metrics.relayRequests.increment()
            logger.debug("relay paired", metadata: ["partner": "\(first.remote)"])
            let session = RelaySession(
                controls: services.controls, second: remote, metrics: services.metrics, logger: logger)
            if relay == .direct, let direct = services.direct {
                return handOverDirect(
                    context, first: first.channel, pending: pending,
                    handoff: RelayHandoff(session: session, loop: direct))
            }
            pair(context, with: first, session: session, pending: pending, relay: relay)
        case .close(let reason):
            // Any client can cause these; hbbr's metrics count them by reason, so debug is enough.
            switch reason {
            case .licenceMismatch: logger.debug("Relay authentication failed")
            case .waitingTableFull: logger.debug("relay waiting table full")
            default: break
            }
            finish(context, reason: reason)
        }
    }

    /// The second half relays through NIO: forwarders on both halves, then the first half is told.
    private func pair(
        _ context: ChannelHandlerContext, with first: RelaySide, session: RelaySession, pending: [ByteBuffer],
        relay: RelayHandshakeRules.Relay
    ) {
        // Both halves get their codecs before either forwards a unit: the first half forwards what
        // it holds as soon as it learns of the pairing, and this half's frame encoder must be there.
        // Events and writes reach the first half's loop in order, so it is ready before our units.
        guard
            installForwarder(
                context, partner: first.channel, partnerTransport: first.transport, session: session, runsChecks: true)
        else { return first.channel.close(promise: nil) }
        // Before either forwarder can see a unit or a close: only then can the session end.
        session.begin(relay == .units ? .webSocket : .tcpNIO)
        first.channel.pipeline.fireUserInboundEventTriggered(
            RelayPairedEvent(partner: context.channel, partnerTransport: transport, session: session))
        RelayPipelineSwitch.handOver(pending, from: context)
    }

    /// TCP met TCP: both sockets move to the direct relay. The parked half gives up its socket when the
    /// event reaches its loop, or is counted as gone if it closes first.
    private func handOverDirect(
        _ context: ChannelHandlerContext, first: any Channel, pending: [ByteBuffer], handoff: RelayHandoff
    ) {
        first.closeFuture.whenComplete { _ in handoff.deliverFirst(nil) }
        first.pipeline.fireUserInboundEventTriggered(RelayDirectEvent(handoff: handoff))
        logger.debug("relay started", metadata: ["mode": "direct"])
        giveUpSocket(context, pending: pending) { handoff.deliverSecond($0) }
    }

    /// Delivers this connection's socket, with the bytes read behind the first frame, then closes the
    /// channel; the connection lives on in the duplicated descriptor.
    private func giveUpSocket(
        _ context: ChannelHandlerContext, pending: [ByteBuffer], to deliver: (DirectRelaySocket?) -> Void
    ) {
        timer?.cancel()
        timer = nil
        state = .done
        let socket = RelayHandoff.duplicateSocket(of: context).map {
            DirectRelaySocket(fd: $0, leftover: Array(pending.map(\.readableBytesView).joined()))
        }
        deliver(socket)
        context.close(promise: nil)
    }

    /// After the pairing timeout a half nobody claimed is closed; a paired half is no longer in the table.
    private func scheduleParkingEnd(uuid: String, id: UInt64, _ context: ChannelHandlerContext) {
        let room = services.room
        let channel = context.channel
        timer = services.clock.schedule(on: context.eventLoop, in: services.settings.pairingTimeout) {
            if room.remove(uuid: uuid, id: id) != nil { channel.close(promise: nil) }
        }
    }

    /// Installs this half's forwarder (`RelayPipelineSwitch`). False when that failed and the half is closing.
    private func installForwarder(
        _ context: ChannelHandlerContext, partner: any Channel, partnerTransport: RelaySide.Transport,
        session: RelaySession, runsChecks: Bool
    ) -> Bool {
        timer?.cancel()
        timer = nil
        state = .done
        let forwarding = RelayHandshakeRules.forwarding(mine: transport, partner: partnerTransport)
        logger.debug("relay started", metadata: ["mode": "\(forwarding)"])
        do {
            try RelayPipelineSwitch.install(
                forwarding, after: self, in: context, partner: partner, session: session, runsChecks: runsChecks,
                services: services)
        } catch {
            finish(context)
            return false
        }
        return true
    }

    /// Relay console commands only touch in-memory lists and limits, so they run on the event loop.
    private func runConsole(_ text: String?, _ context: ChannelHandlerContext) {
        timer?.cancel()
        guard let text else { return finish(context) }
        services.metrics.consoleCommands.increment()
        ConsoleReply.send(context.eventLoop.makeSucceededFuture(services.console.execute(text)), on: context.channel)
    }

    private func startTimeout(_ limit: TimeAmount, _ context: ChannelHandlerContext) {
        let channel = context.channel
        let reasons = services.metrics.connectionsClosed
        timer = services.clock.schedule(on: context.eventLoop, in: limit) {
            reasons.count(.timeout)
            channel.close(promise: nil)
        }
    }

    private func isBlocked(_ ip: IPAddress?) -> Bool {
        guard let ip else { return false }
        return services.controls.blocklist.contains(ip.description)
    }

    private func finish(_ context: ChannelHandlerContext, reason: CloseReason? = nil) {
        if let reason { services.metrics.connectionsClosed.count(reason) }
        state = .done
        timer?.cancel()
        context.close(promise: nil)
    }
}
