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
    /// Answers sent after a commit, grouped into one flush per group.
    private let committedReplies: DatagramReplyQueue

    init(context: RendezvousContext, channel: any Channel) {
        self.context = context
        self.committedReplies = DatagramReplyQueue(channel: channel)
    }

    func channelRead(context channelContext: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let metrics = context.metrics
        RendezvousMetrics.increment(metrics.datagramsReceived)
        guard let source = envelope.remoteAddress.socketAddr else {
            RendezvousMetrics.increment(metrics.malformedDatagrams)
            return
        }
        if let heartbeat = envelope.data.withUnsafeReadableBytes(HeartbeatDatagram.parse) {
            handleRegisterPeer(
                id: heartbeat.id, serial: heartbeat.serial, from: source, envelope: envelope, channelContext)
            return
        }
        guard let message = try? Hbb_RendezvousMessage(buffer: envelope.data) else {
            RendezvousMetrics.increment(metrics.malformedDatagrams)
            return
        }
        switch message.union {
        case .registerPeer(let registerPeer):
            handleRegisterPeer(
                id: registerPeer.id, serial: registerPeer.serial, from: source, envelope: envelope, channelContext)
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
        id: String, serial: Int32, from source: SocketAddr, envelope: AddressedEnvelope<ByteBuffer>,
        _ channelContext: ChannelHandlerContext
    ) {
        guard !id.isEmpty else { return }
        RendezvousMetrics.increment(context.metrics.registerPeer)
        let now = context.now()
        let outcome = context.state.registry.withPeer(id) {
            RegistrationRules.heartbeat(&$0, source: source, now: now)
        }
        if outcome.ipChanged {
            context.logger.info(
                "IP change",
                metadata: ["peer.id": "\(id)", "from": "\(outcome.previousAddress)", "to": "\(source)"])
        }
        reply(
            outcome.requestPk ? CachedReplies.requestPk : CachedReplies.noRequestPk, to: envelope, channelContext)
        if let update = context.configUpdateIfNewer(than: serial) {
            send(.with { $0.configureUpdate = update }, to: envelope, channelContext)
        }
    }

    // MARK: RegisterPk (§5.2)

    private func handleRegisterPk(
        _ message: Hbb_RegisterPk, from source: SocketAddr, envelope: AddressedEnvelope<ByteBuffer>,
        _ channelContext: ChannelHandlerContext
    ) {
        let replies = committedReplies
        let remote = envelope.remoteAddress
        let answer = PeerRegistrar(context: context).registerPk(message, from: source) { result in
            replies.send(AddressedEnvelope(remoteAddress: remote, data: CachedReplies.registerPk(result)))
        }
        if case .now(let result) = answer {
            reply(CachedReplies.registerPk(result), to: envelope, channelContext)
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
