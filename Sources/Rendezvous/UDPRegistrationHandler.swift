import Logging
import NIOCore
import PeerStore
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO

/// hbbs's UDP PORT (spec/hbbs.md §5): heartbeats, key registration, loopback ConfigUpdate and
/// SoftwareUpdate. Decides on the event loop under one shard lock per datagram and never waits on
/// the database: a changed registration is queued to the store and answered when it commits.
/// Replies go only to the datagram's source; replies of one read burst share a single flush.
final class UDPRegistrationHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let context: RendezvousContext

    init(context: RendezvousContext) {
        self.context = context
    }

    func channelRead(context channelContext: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let metrics = context.metrics
        RendezvousMetrics.increment(metrics.datagramsReceived)
        guard let source = envelope.remoteAddress.socketAddr,
            let message = try? Hbb_RendezvousMessage(buffer: envelope.data)
        else {
            RendezvousMetrics.increment(metrics.malformedDatagrams)
            return
        }
        switch message.union {
        case .registerPeer(let registerPeer):
            handleRegisterPeer(registerPeer, from: source, envelope: envelope, channelContext)
        case .registerPk(let registerPk):
            handleRegisterPk(registerPk, from: source, envelope: envelope, channelContext)
        case .configureUpdate(let update):
            handleConfigUpdate(update, from: source)
        case .softwareUpdate(let update):
            handleSoftwareUpdate(update, envelope: envelope, channelContext)
        default:
            // §5.3: everything else is ignored without a reply (no amplification from spoofed sources).
            RendezvousMetrics.increment(metrics.ignoredDatagrams)
        }
    }

    func channelReadComplete(context channelContext: ChannelHandlerContext) {
        channelContext.flush()
    }

    func errorCaught(context channelContext: ChannelHandlerContext, error: any Error) {
        // A failed send or a transient receive error must not close the registration socket.
        context.logger.debug("udp error", metadata: ["error": "\(error)"])
    }

    // MARK: RegisterPeer (§5.1)

    private func handleRegisterPeer(
        _ message: Hbb_RegisterPeer, from source: SocketAddr, envelope: AddressedEnvelope<ByteBuffer>,
        _ channelContext: ChannelHandlerContext
    ) {
        guard !message.id.isEmpty else { return }
        RendezvousMetrics.increment(context.metrics.registerPeer)
        let now = context.now()
        let outcome = context.state.registry.withPeer(message.id) {
            RegistrationRules.heartbeat(&$0, source: source, now: now)
        }
        if outcome.ipChanged {
            context.logger.info(
                "IP change",
                metadata: ["peer.id": "\(message.id)", "from": "\(outcome.previousAddress)", "to": "\(source)"])
        }
        reply(
            outcome.requestPk ? CachedReplies.requestPk : CachedReplies.noRequestPk, to: envelope, channelContext)
        if let update = context.configUpdateIfNewer(than: message.serial) {
            send(.with { $0.configureUpdate = update }, to: envelope, channelContext)
        }
    }

    // MARK: RegisterPk (§5.2)

    private func handleRegisterPk(
        _ message: Hbb_RegisterPk, from source: SocketAddr, envelope: AddressedEnvelope<ByteBuffer>,
        _ channelContext: ChannelHandlerContext
    ) {
        RendezvousMetrics.increment(context.metrics.registerPk)
        let now = context.now()
        let ipText = source.ip.description
        let state = context.state
        let uuid = [UInt8](message.uuid)
        let pk = [UInt8](message.pk)
        // Loopback sources skip the per-IP limit: only processes on this host can send from 127/8 or
        // ::1 (the kernel drops such sources arriving from outside), they already have the console,
        // and they are what a local client or a load test on the server's own host looks like.
        let exempt = !context.settings.limitLoopbackRegistrations && source.ip.normalized.isLoopback
        let outcome = state.registry.withPeer(message.id) { record in
            RegistrationRules.registerPk(
                &record, id: message.id, uuid: uuid, pk: pk, source: source, sourceIPText: ipText,
                allowedByIPBlocker: {
                    exempt || state.ipBlocker.withLock { $0.allow(ip: ipText, id: message.id, now: now) }
                },
                newGUID: PeerGUIDSource.make, now: now)
        }
        switch outcome {
        case .ignore:
            return
        case .reply(let result):
            reply(CachedReplies.registerPk(result), to: envelope, channelContext)
        case .unchanged:
            reply(CachedReplies.registerPk(.ok), to: envelope, channelContext)
        case .save(let save, let ipChanged):
            if ipChanged {
                state.ipChanges.withLock { $0.record(id: message.id, ip: ipText, now: now) }
            }
            persist(save, replyTo: envelope, channel: channelContext.channel)
        }
    }

    /// Queues the row; the OK (or SERVER_ERROR) goes out from the writer's completion, after the commit.
    private func persist(
        _ save: RegistrationRules.PeerSave, replyTo envelope: AddressedEnvelope<ByteBuffer>, channel: any Channel
    ) {
        let context = self.context
        let remote = envelope.remoteAddress
        let completion: @Sendable (Result<Void, PeerStoreError>) -> Void = { result in
            let answer: RegisterPkResult
            switch result {
            case .success:
                RendezvousMetrics.increment(context.metrics.peersSaved)
                answer = .ok
            case .failure(let error):
                RendezvousMetrics.increment(context.metrics.saveFailures)
                context.logger.error("cannot save peer", metadata: ["peer.id": "\(save.id)", "error": "\(error)"])
                context.state.registry.withPeer(save.id) { RegistrationRules.saveFailed(&$0, save: save) }
                answer = .serverError
            }
            let data = CachedReplies.registerPk(answer)
            channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: data), promise: nil)
        }
        do {
            try context.store.savePeer(
                guid: save.guid, id: save.id, uuid: save.uuid, pk: save.pk, ip: save.infoIP, completion: completion)
        } catch {
            completion(.failure(error))
        }
    }

    // MARK: ConfigUpdate (§5.4) and SoftwareUpdate (§5.5)

    private func handleConfigUpdate(_ update: Hbb_ConfigUpdate, from source: SocketAddr) {
        guard source.ip.normalized.isLoopback else { return }
        let context = self.context
        guard update.serial > context.serialAndServers.serial else { return }
        // DNS filtering blocks: do it off the event loop, then publish.
        let requested = update.rendezvousServers.filter { !$0.isEmpty }
        Task.detached {
            let servers = context.resolveServerList(requested)
            context.replaceConfig(serial: update.serial, servers: servers)
            context.logger.info(
                "configuration updated", metadata: ["serial": "\(update.serial)", "rendezvous-servers": "\(servers)"])
        }
    }

    private func handleSoftwareUpdate(
        _ update: Hbb_SoftwareUpdate, envelope: AddressedEnvelope<ByteBuffer>, _ channelContext: ChannelHandlerContext
    ) {
        let version = context.settings.softwareVersion
        guard !version.isEmpty, update.url != version else { return }
        let url = context.settings.softwareURL
        send(.with { $0.softwareUpdate = .with { $0.url = url } }, to: envelope, channelContext)
    }

    // MARK: Writing

    private func reply(
        _ data: ByteBuffer, to envelope: AddressedEnvelope<ByteBuffer>, _ channelContext: ChannelHandlerContext
    ) {
        channelContext.write(
            wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: data)), promise: nil)
    }

    private func send(
        _ message: Hbb_RendezvousMessage, to envelope: AddressedEnvelope<ByteBuffer>,
        _ channelContext: ChannelHandlerContext
    ) {
        guard let data = try? message.byteBuffer(allocator: channelContext.channel.allocator) else { return }
        reply(data, to: envelope, channelContext)
    }
}

/// New row keys for the registry (UUID v4 layout, as the reference writes them).
enum PeerGUIDSource {
    static func make() -> [UInt8] { PeerGUID.make() }
}
