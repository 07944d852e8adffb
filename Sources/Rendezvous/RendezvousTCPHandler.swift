import Foundation
import Logging
import NIOCore
import NIOWebSocket
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO

/// One connection on hbbs's TCP PORT (spec/hbbs.md §7, §8, §10), after the frame codec: each inbound
/// value is one unit's payload. A requester's PunchHoleRequest/RequestRelay parks the connection in
/// the `PunchRouter` until the controlled peer answers; the peer's answers arrive on their own short
/// connections and are routed back. Idle connections are closed by the pipeline's `ReadTimeoutHandler`.
///
/// Shaped for reuse by the WebSocket port: the transport only has to deliver payload buffers and
/// accept payload buffers for writing.
final class RendezvousTCPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let context: RendezvousContext
    private let overWebSocket: Bool
    private var remote: SocketAddr?
    private var parked = false
    /// The peer registered on this connection (TCP/WebSocket registration, client.md §3.5).
    private var registeredID: String?
    private var heartbeat: ServerTimer?

    /// - Parameter clientAddress: the client's address when a trusted proxy named it (WebSocket);
    ///   nil = the connection's peer address.
    init(context: RendezvousContext, overWebSocket: Bool = false, clientAddress: SocketAddr? = nil) {
        self.context = context
        self.overWebSocket = overWebSocket
        remote = clientAddress
    }

    /// Added to an active channel after a WebSocket upgrade, or to a fresh TCP channel: either way the
    /// peer address is known here.
    func handlerAdded(context channelContext: ChannelHandlerContext) {
        RendezvousMetrics.increment(context.metrics.tcpConnections)
        if remote == nil { remote = channelContext.channel.remoteAddress?.socketAddr }
    }

    func channelActive(context channelContext: ChannelHandlerContext) {
        if remote == nil { remote = channelContext.remoteAddress?.socketAddr }
        channelContext.fireChannelActive()
    }

    func channelInactive(context channelContext: ChannelHandlerContext) {
        if parked, let remote { context.punchRouter.remove(channelContext.channel, at: remote) }
        heartbeat?.cancel()
        if let registeredID { context.peerConnections.unbind(registeredID, from: channelContext.channel) }
        channelContext.fireChannelInactive()
    }

    func errorCaught(context channelContext: ChannelHandlerContext, error: any Error) {
        let reasons = context.metrics.closeReasons
        if let frameError = error as? FrameError {
            RendezvousMetrics.increment(context.metrics.malformedFrames)
            if case .frameTooLarge = frameError { reasons.count(.oversized) } else { reasons.count(.malformedUnit) }
        } else if let webSocketError = error as? NIOWebSocketError {
            reasons.count(webSocketError == .invalidFrameLength ? .oversized : .webSocketError)
        }
        context.logger.debug(
            "closing rendezvous connection",
            metadata: ["conn.remote": "\(remote.map(String.init(describing:)) ?? "?")", "error": "\(error)"])
        channelContext.close(promise: nil)
    }

    func channelRead(context channelContext: ChannelHandlerContext, data: NIOAny) {
        let payload = unwrapInboundIn(data)
        if let registeredID {
            // A registered peer sends nothing of its own; its echoes of our heartbeats keep it online.
            refreshLiveness(registeredID)
            if payload.readableBytes == 0 { return }
        }
        guard let remote, let message = try? Hbb_RendezvousMessage(buffer: payload), let union = message.union else {
            // Unparsable or empty unit: the reference stops reading and closes.
            RendezvousMetrics.increment(context.metrics.malformedFrames)
            context.metrics.closeReasons.count(.malformedUnit)
            channelContext.close(promise: nil)
            return
        }
        switch union {
        case .punchHoleRequest(let request):
            park(channelContext.channel, at: remote)
            handlePunchHoleRequest(request, from: remote, channelContext)
        case .requestRelay(let request):
            park(channelContext.channel, at: remote)
            forwardRequestRelay(request, from: remote)
        case .relayResponse(let response):
            routeRelayResponse(response, from: remote)
            channelContext.close(promise: nil)
        case .punchHoleSent(let sent):
            routePunchHoleSent(sent, from: remote)
            channelContext.close(promise: nil)
        case .localAddr(let local):
            routeLocalAddr(local)
            channelContext.close(promise: nil)
        case .testNatRequest(let request):
            var response = Hbb_TestNatResponse()
            response.port = Int32(remote.port)
            if let update = context.configUpdateIfNewer(than: request.serial) { response.cu = update }
            replyAndClose(.with { $0.testNatResponse = response }, channelContext)
        case .registerPk(let request):
            register(request, from: remote, channelContext)
        default:
            channelContext.close(promise: nil)
        }
    }

    // MARK: Registration over TCP/WebSocket (client.md §3.5)

    /// Same rules as over UDP; the answer goes back on this connection, which stays open. After an OK
    /// the peer is reached through this connection and counts as online while it lives.
    private func register(_ request: Hbb_RegisterPk, from remote: SocketAddr, _ channelContext: ChannelHandlerContext) {
        let channel = channelContext.channel
        let loopBound = NIOLoopBound(self, eventLoop: channelContext.eventLoop)
        let id = request.id
        let answer = PeerRegistrar(context: context).registerPk(request, from: remote) { result in
            channel.eventLoop.execute { loopBound.value.answerRegistration(result, id: id, channel: channel) }
        }
        if case .now(let result) = answer {
            answerRegistration(result, id: id, channel: channel)
        }
    }

    private func answerRegistration(_ result: RegisterPkResult, id: String, channel: any Channel) {
        guard channel.isActive else { return }
        if result == .ok { markRegistered(id, channel: channel) }
        let message = Hbb_RendezvousMessage.with {
            $0.registerPkResponse = .with { $0.result = .init(rawValue: result.rawValue) ?? .serverError }
        }
        if let data = try? message.byteBuffer(allocator: channel.allocator) {
            channel.writeAndFlush(data, promise: nil)
        }
    }

    private func markRegistered(_ id: String, channel: any Channel) {
        if let previous = registeredID, previous != id { context.peerConnections.unbind(previous, from: channel) }
        registeredID = id
        context.peerConnections.bind(id, to: channel)
        refreshLiveness(id)
        guard heartbeat == nil else { return }
        let interval = context.settings.registrationHeartbeat
        heartbeat = context.clock.scheduleRepeated(on: channel.eventLoop, every: interval) {
            channel.writeAndFlush(ByteBuffer(), promise: nil)
            return true
        }
    }

    /// Keeps a connection-registered peer online and its address current (it never sends RegisterPeer).
    private func refreshLiveness(_ id: String) {
        guard let remote else { return }
        let now = context.now()
        context.state.registry.withPeer(id) { record in
            guard var peer = record else { return }
            peer.lastRegTime = now
            peer.socketAddr = remote
            record = peer
        }
    }

    // MARK: Requester side

    private func park(_ channel: any Channel, at remote: SocketAddr) {
        context.punchRouter.park(channel, at: remote)
        parked = true
    }

    /// §8: licence, existence and liveness checks answer the requester at once; otherwise the peer is
    /// told over UDP to punch (or to report its LAN address) and the requester waits for §10.
    private func handlePunchHoleRequest(
        _ request: Hbb_PunchHoleRequest, from remote: SocketAddr, _ channelContext: ChannelHandlerContext
    ) {
        RendezvousMetrics.increment(context.metrics.punchHoleRequests)
        let settings = context.settings
        if !settings.licenceKey.isEmpty && request.licenceKey != settings.licenceKey {
            context.logger.warning(
                "licence key mismatch", metadata: ["conn.remote": "\(remote)", "peer.id": "\(request.id)"])
            replyToRequester(failure: .licenseMismatch, channelContext)
            return
        }
        let now = context.now()
        guard let peer = context.state.registry.peer(request.id) else {
            replyToRequester(failure: .idNotExist, channelContext)
            return
        }
        guard peer.isOnline(now: now) else {
            replyToRequester(failure: .offline, channelContext)
            return
        }
        context.state.punchRequests.withLock {
            $0.record(
                fromIP: remote.ip.normalized.description, toIP: peer.socketAddr.ip.normalized.description,
                toID: request.id, now: now)
        }
        let instruction = PunchHoleRouting.decide(
            requester: remote, peer: peer.socketAddr, overWebSocket: overWebSocket,
            alwaysUseRelay: context.state.alwaysUseRelay.load(ordering: .relaxed), isLAN: settings.isLAN,
            selectedRelay: context.state.relays.select(), localIP: settings.localIP)
        let mangled = Data(AddrMangle.encode(remote))
        var message = Hbb_RendezvousMessage()
        switch instruction {
        case .fetchLocalAddr(let relay):
            message.fetchLocalAddr = .with {
                $0.socketAddr = mangled
                $0.relayServer = relay
            }
        case .punchHole(let relay, let forceRelay):
            message.punchHole = .with {
                $0.socketAddr = mangled
                $0.relayServer = relay
                $0.natType = forceRelay ? .symmetric : request.natType
            }
        }
        context.sendToPeer(message, id: request.id, at: peer.socketAddr)
    }

    /// A failure answer ends the wait: the requester is no longer parked, the connection stays open
    /// (clients close it; a retry on it is answered again, which the reference cannot do).
    private func replyToRequester(failure: Hbb_PunchHoleResponse.Failure, _ channelContext: ChannelHandlerContext) {
        if parked, let remote {
            context.punchRouter.remove(channelContext.channel, at: remote)
            parked = false
        }
        let message = Hbb_RendezvousMessage.with { $0.punchHoleResponse = .with { $0.failure = failure } }
        guard let data = try? message.byteBuffer(allocator: channelContext.channel.allocator) else { return }
        channelContext.writeAndFlush(wrapOutboundOut(data), promise: nil)
    }

    /// §7.2 RequestRelay: forwarded to a peer known in memory (online or not), with the requester's
    /// address filled in; unknown fields pass through. Nothing is answered here.
    private func forwardRequestRelay(_ request: Hbb_RequestRelay, from remote: SocketAddr) {
        guard let peer = context.state.registry.peer(request.id) else { return }
        var forwarded = request
        forwarded.socketAddr = Data(AddrMangle.encode(remote))
        context.sendToPeer(.with { $0.requestRelay = forwarded }, id: request.id, at: peer.socketAddr)
    }

    // MARK: Controlled-peer side (§10)

    private func routePunchHoleSent(_ sent: Hbb_PunchHoleSent, from remote: SocketAddr) {
        var response = Hbb_PunchHoleResponse()
        response.socketAddr = Data(AddrMangle.encode(remote))
        response.pk = context.signedPk(version: sent.version, id: sent.id)
        response.relayServer = sent.relayServer
        if case .UNRECOGNIZED = sent.natType {} else { response.natType = sent.natType }
        deliver(.with { $0.punchHoleResponse = response }, to: AddrMangle.decode(sent.socketAddr))
    }

    private func routeLocalAddr(_ local: Hbb_LocalAddr) {
        var response = Hbb_PunchHoleResponse()
        response.socketAddr = local.localAddr
        response.pk = context.signedPk(version: local.version, id: local.id)
        response.relayServer = local.relayServer
        response.isLocal = true
        deliver(.with { $0.punchHoleResponse = response }, to: AddrMangle.decode(local.socketAddr))
    }

    private func routeRelayResponse(_ response: Hbb_RelayResponse, from remote: SocketAddr) {
        let requester = AddrMangle.decode(response.socketAddr)
        var forwarded = response
        forwarded.socketAddr = Data()
        if case .id(let id) = response.union, !id.isEmpty {
            forwarded.pk = context.signedPk(version: response.version, id: id)
        }
        let settings = context.settings
        if !forwarded.relayServer.isEmpty {
            if settings.isLAN(requester) {
                forwarded.relayServer = settings.localIP
            } else if forwarded.relayServer == settings.localIP {
                forwarded.relayServer = context.state.relays.select()
            }
        }
        deliver(.with { $0.relayResponse = forwarded }, to: requester)
    }

    private func deliver(_ message: Hbb_RendezvousMessage, to requester: SocketAddr) {
        guard let data = try? message.byteBuffer(allocator: ByteBufferAllocator()) else { return }
        if !context.punchRouter.deliver(data, to: requester) {
            context.logger.debug("no requester waiting", metadata: ["conn.remote": "\(requester)"])
        }
    }

    private func replyAndClose(_ message: Hbb_RendezvousMessage, _ channelContext: ChannelHandlerContext) {
        guard let data = try? message.byteBuffer(allocator: channelContext.channel.allocator) else {
            channelContext.close(promise: nil)
            return
        }
        let channel = channelContext.channel
        channelContext.writeAndFlush(wrapOutboundOut(data)).whenComplete { _ in channel.close(promise: nil) }
    }
}
