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

    let services: RendezvousServices
    private let overWebSocket: Bool
    private var remote: SocketAddr?
    private var parked = false
    /// The peer registered on this connection (TCP/WebSocket registration, client.md §3.5).
    private var registeredID: String?
    private var heartbeat: ServerTimer?
    /// The client completed the secure-TCP handshake (wire.md §4): only then are HttpProxyRequest
    /// and HealthCheck served, since both carry a bearer token.
    var secured = false
    /// An HttpProxyRequest is being answered (one at a time per connection).
    var proxyInFlight = false
    /// Where a HealthCheck on this connection stands.
    var healthCheck = HealthCheckState.none
    var healthRecheck: ServerTimer?

    /// - Parameter clientAddress: the client's address when a trusted proxy named it (WebSocket);
    ///   nil = the connection's peer address.
    init(services: RendezvousServices, overWebSocket: Bool = false, clientAddress: SocketAddr? = nil) {
        self.services = services
        self.overWebSocket = overWebSocket
        remote = clientAddress
    }

    /// Added to an active channel after a WebSocket upgrade, or to a fresh TCP channel: either way the
    /// peer address is known here.
    func handlerAdded(context: ChannelHandlerContext) {
        services.metrics.connections.count(overWebSocket ? .websocket : .tcp)
        if remote == nil { remote = context.channel.remoteAddress?.socketAddr }
    }

    func channelActive(context: ChannelHandlerContext) {
        if remote == nil { remote = context.remoteAddress?.socketAddr }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if parked, let remote { services.punchRouter.remove(context.channel, at: remote) }
        heartbeat?.cancel()
        endHealthCheck()
        if let registeredID { services.messenger.connections.unbind(registeredID, from: context.channel) }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .secured? = event as? SecureChannelEvent { secured = true }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let reasons = services.metrics.connectionsClosed
        if let frameError = error as? FrameError {
            if case .frameTooLarge = frameError { reasons.count(.oversized) } else { reasons.count(.malformedUnit) }
        } else if let webSocketError = error as? NIOWebSocketError {
            reasons.count(webSocketError == .invalidFrameLength ? .oversized : .webSocketError)
        }
        services.logger.debug(
            "closing rendezvous connection",
            metadata: ["conn.remote": "\(remote.map(String.init(describing:)) ?? "?")", "error": "\(error)"])
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let payload = unwrapInboundIn(data)
        if let registeredID {
            // A registered peer sends nothing of its own; its echoes of our heartbeats keep it online.
            refreshLiveness(registeredID)
            if payload.readableBytes == 0 { return }
        }
        // A health-check connection's only traffic after the HealthCheck: echoes of our heartbeats.
        if healthCheck != .none, payload.readableBytes == 0 { return }
        guard let remote, let message = try? Hbb_RendezvousMessage(buffer: payload), let union = message.union else {
            // Unparsable or empty unit: the reference stops reading and closes.
            services.metrics.connectionsClosed.count(.malformedUnit)
            context.close(promise: nil)
            return
        }
        switch union {
        case .punchHoleRequest(let request):
            handlePunchHoleRequest(request, from: remote, context)
        case .requestRelay(let request):
            if let refusal = policyRefusal(deviceID: request.id, token: request.token, from: remote) {
                refuseRelay(refusal, context)
            } else {
                park(context.channel, at: remote)
                forwardRequestRelay(request, from: remote)
            }
        case .relayResponse(let response):
            routeRelayResponse(response, from: remote)
            context.close(promise: nil)
        case .punchHoleSent(let sent):
            routePunchHoleSent(sent, from: remote)
            context.close(promise: nil)
        case .localAddr(let local):
            routeLocalAddr(local)
            context.close(promise: nil)
        case .testNatRequest(let request):
            var response = Hbb_TestNatResponse()
            response.port = Int32(remote.port)
            if let update = services.configUpdateIfNewer(than: request.serial) { response.cu = update }
            replyAndClose(.with { $0.testNatResponse = response }, context)
        case .registerPk(let request):
            register(request, from: remote, context)
        case .httpProxyRequest(let request):
            proxyHTTP(request, context)
        case .hc(let check):
            startHealthCheck(check, context)
        default:
            context.close(promise: nil)
        }
    }

    // MARK: Registration over TCP/WebSocket (client.md §3.5)

    /// Same rules as over UDP; the answer goes back on this connection, which stays open. After an OK
    /// the peer is reached through this connection and counts as online while it lives.
    private func register(_ request: Hbb_RegisterPk, from remote: SocketAddr, _ context: ChannelHandlerContext) {
        let channel = context.channel
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let id = request.id
        // An ID change (the client's "change ID" dialog) is a one-shot connection, not a registration.
        let registers = request.oldID.isEmpty
        let answer = PeerRegistrar(services: services).registerPk(request, from: remote) { result in
            channel.eventLoop.execute {
                loopBound.value.answerRegistration(result, id: id, registers: registers, channel: channel)
            }
        }
        if case .now(let result) = answer {
            answerRegistration(result, id: id, registers: registers, channel: channel)
        }
    }

    private func answerRegistration(_ result: RegisterPkResult, id: String, registers: Bool, channel: any Channel) {
        guard channel.isActive else { return }
        if result == .ok && registers { markRegistered(id, channel: channel) }
        let message = Hbb_RendezvousMessage.with {
            $0.registerPkResponse = .with { $0.result = .init(rawValue: result.rawValue) ?? .serverError }
        }
        if let data = try? message.byteBuffer(allocator: channel.allocator) {
            channel.writeAndFlush(data, promise: nil)
        }
    }

    private func markRegistered(_ id: String, channel: any Channel) {
        if let previous = registeredID, previous != id {
            services.messenger.connections.unbind(previous, from: channel)
        }
        registeredID = id
        services.messenger.connections.bind(id, to: channel)
        refreshLiveness(id)
        startHeartbeat(on: channel)
    }

    /// Empty units every `registrationHeartbeat`, which clients echo: what keeps a registration or
    /// health-check connection inside both sides' idle limits.
    func startHeartbeat(on channel: any Channel) {
        guard heartbeat == nil else { return }
        let interval = services.settings.registrationHeartbeat
        heartbeat = services.clock.scheduleRepeated(on: channel.eventLoop, every: interval) {
            channel.writeAndFlush(ByteBuffer(), promise: nil)
            return true
        }
    }

    /// Keeps a connection-registered peer online and its address current (it never sends RegisterPeer).
    private func refreshLiveness(_ id: String) {
        guard let remote else { return }
        let now = services.now()
        services.tables.registry.withPeer(id) { record in
            guard var peer = record else { return }
            peer.lastRegTime = now
            peer.socketAddr = remote
            record = peer
        }
    }

    // MARK: Requester side

    private func park(_ channel: any Channel, at remote: SocketAddr) {
        services.punchRouter.park(channel, at: remote)
        parked = true
    }

    /// §8 through `PunchHoleRules`: a failure answers the requester at once; otherwise the requester
    /// waits (parked by its address) while the peer is told to punch or to report its LAN address.
    private func handlePunchHoleRequest(
        _ request: Hbb_PunchHoleRequest, from remote: SocketAddr, _ context: ChannelHandlerContext
    ) {
        let now = services.now()
        let relays = services.tables.relays
        let action = PunchHoleRules.decide(
            requester: remote, licenceKey: request.licenceKey, overWebSocket: overWebSocket,
            peer: services.tables.registry.peer(request.id), now: now, policy: policy,
            refusal: { policyRefusal(deviceID: request.id, token: request.token, from: remote)?.message },
            selectRelay: relays.select)
        let outcomes = services.metrics.punchHoleRequests
        switch action {
        case .reply(let failure):
            outcomes.count(.init(failure))
            // Any client can send a wrong key or an unknown ID: counted, and logged only at debug.
            services.logger.debug(
                "punch hole refused",
                metadata: ["conn.remote": "\(remote)", "peer.id": "\(request.id)", "failure": "\(failure)"])
            replyToRequester(failure: failure, context)
        case .instructPeer(let instruction, let peerAddress):
            services.tables.punchRequests.record(
                fromIP: remote.ip.normalized.description, toIP: peerAddress.ip.normalized.description,
                toID: request.id, now: now)
            let mangled = Data(AddrMangle.encode(remote))
            var message = Hbb_RendezvousMessage()
            switch instruction {
            case .fetchLocalAddr(let relay):
                outcomes.count(.fetchLocalAddress)
                message.fetchLocalAddr = .with {
                    $0.socketAddr = mangled
                    $0.relayServer = relay
                }
            case .punchHole(let relay, let forceRelay):
                outcomes.count(.punchHole)
                message.punchHole = .with {
                    $0.socketAddr = mangled
                    $0.relayServer = relay
                    $0.natType = forceRelay ? .symmetric : request.natType
                }
            }
            park(context.channel, at: remote)
            services.messenger.send(message, to: request.id, at: peerAddress)
        }
    }

    /// The parts of the configuration and tables that the punch-hole rules read, as of now.
    private var policy: PunchHoleRules.Policy {
        let settings = services.settings
        return PunchHoleRules.Policy(
            licenceKey: settings.licenceKey, alwaysUseRelay: services.tables.relays.alwaysUseRelay,
            mask: settings.mask, localIP: settings.localIP)
    }

    /// A failure answer ends the wait: the requester is no longer parked, the connection stays open
    /// (clients close it; a retry on it is answered again, which the reference cannot do).
    private func replyToRequester(failure: PunchHoleRules.Failure, _ context: ChannelHandlerContext) {
        if parked, let remote {
            services.punchRouter.remove(context.channel, at: remote)
            parked = false
        }
        let message = Hbb_RendezvousMessage.with {
            $0.punchHoleResponse = .with { response in
                switch failure {
                case .licenceMismatch: response.failure = .licenseMismatch
                case .idNotExist: response.failure = .idNotExist
                case .offline: response.failure = .offline
                // Clients show a non-empty `other_failure` as it is (messages.md §3.10).
                case .refused(let text): response.otherFailure = text
                }
            }
        }
        guard let data = try? message.byteBuffer(allocator: context.channel.allocator) else { return }
        context.writeAndFlush(wrapOutboundOut(data), promise: nil)
    }

    /// §7.2 RequestRelay: forwarded to a peer known in memory (online or not), with the requester's
    /// address filled in; unknown fields pass through. Nothing is answered here.
    private func forwardRequestRelay(_ request: Hbb_RequestRelay, from remote: SocketAddr) {
        guard let peer = services.tables.registry.peer(request.id) else { return }
        services.metrics.relayRequests.increment()
        var forwarded = request
        forwarded.socketAddr = Data(AddrMangle.encode(remote))
        services.messenger.send(.with { $0.requestRelay = forwarded }, to: request.id, at: peer.socketAddr)
    }

    // MARK: Controlled-peer side (§10)

    private func routePunchHoleSent(_ sent: Hbb_PunchHoleSent, from remote: SocketAddr) {
        var response = Hbb_PunchHoleResponse()
        response.socketAddr = Data(AddrMangle.encode(remote))
        response.pk = services.signedPk(version: sent.version, id: sent.id)
        response.relayServer = sent.relayServer
        if case .UNRECOGNIZED = sent.natType {} else { response.natType = sent.natType }
        deliver(.with { $0.punchHoleResponse = response }, to: AddrMangle.decode(sent.socketAddr))
    }

    private func routeLocalAddr(_ local: Hbb_LocalAddr) {
        var response = Hbb_PunchHoleResponse()
        response.socketAddr = local.localAddr
        response.pk = services.signedPk(version: local.version, id: local.id)
        response.relayServer = local.relayServer
        response.isLocal = true
        deliver(.with { $0.punchHoleResponse = response }, to: AddrMangle.decode(local.socketAddr))
    }

    private func routeRelayResponse(_ response: Hbb_RelayResponse, from remote: SocketAddr) {
        let requester = AddrMangle.decode(response.socketAddr)
        var forwarded = response
        forwarded.socketAddr = Data()
        if case .id(let id) = response.union, !id.isEmpty {
            forwarded.pk = services.signedPk(version: response.version, id: id)
        }
        forwarded.relayServer = PunchHoleRules.relayForRequester(
            offered: forwarded.relayServer, requester: requester, policy: policy,
            selectRelay: services.tables.relays.select)
        deliver(.with { $0.relayResponse = forwarded }, to: requester)
    }

    private func deliver(_ message: Hbb_RendezvousMessage, to requester: SocketAddr) {
        guard let data = try? message.byteBuffer(allocator: ByteBufferAllocator()) else { return }
        if !services.punchRouter.deliver(data, to: requester) {
            services.logger.debug("no requester waiting", metadata: ["conn.remote": "\(requester)"])
        }
    }

    private func replyAndClose(_ message: Hbb_RendezvousMessage, _ context: ChannelHandlerContext) {
        guard let data = try? message.byteBuffer(allocator: context.channel.allocator) else {
            context.close(promise: nil)
            return
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(data)).whenComplete { _ in channel.close(promise: nil) }
    }
}
