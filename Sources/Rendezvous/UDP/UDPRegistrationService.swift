import Logging
import NIOPosix
import PeerStore
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO
import SwiftProtobuf

/// hbbs's UDP PORT (spec/hbbs.md §5): heartbeats, key registration, loopback ConfigUpdate and
/// SoftwareUpdate. Decides on the receiving thread under one shard lock per datagram and never waits
/// on the database: a changed registration is queued to the store and answered, straight on the
/// socket, when it commits. Replies go only to the datagram's source. Driven by `UDPRegistrationLoop`.
struct UDPRegistrationService: Sendable {
    let services: RendezvousServices
    let socket: UDPSocket

    /// Handles one datagram; `reply` takes the bytes to send back now (called at most twice).
    func handle(_ datagram: UnsafeRawBufferPointer, from source: SocketAddr, reply: ([UInt8]) -> Void) {
        let metrics = services.metrics
        metrics.datagramsReceived.increment()
        if let heartbeat = HeartbeatDatagram.parse(datagram) {
            return handleRegisterPeer(id: heartbeat.id, serial: heartbeat.serial, from: source, reply: reply)
        }
        // Anything but a heartbeat is rare enough to afford the copy the decoder's API asks for.
        guard let message = try? Hbb_RendezvousMessage(serializedBytes: [UInt8](datagram)) else {
            metrics.datagramsDropped.count(.malformed)
            return
        }
        switch message.union {
        case .registerPeer(let registerPeer):
            handleRegisterPeer(id: registerPeer.id, serial: registerPeer.serial, from: source, reply: reply)
        case .registerPk(let registerPk):
            handleRegisterPk(registerPk, from: source, reply: reply)
        case .configureUpdate(let update):
            handleConfigUpdate(update, from: source)
        case .softwareUpdate(let update):
            handleSoftwareUpdate(update, reply: reply)
        default:
            // §5.3: everything else is ignored without a reply (no amplification from spoofed sources).
            metrics.datagramsDropped.count(.notServed)
        }
    }

    // MARK: RegisterPeer (§5.1)

    private func handleRegisterPeer(id: String, serial: Int32, from source: SocketAddr, reply: ([UInt8]) -> Void) {
        guard !id.isEmpty else { return }
        services.metrics.heartbeats.increment()
        let now = services.now()
        let outcome = services.tables.registry.withPeer(id) {
            RegistrationRules.heartbeat(&$0, source: source, now: now)
        }
        if outcome.ipChanged {
            services.logger.info(
                "IP change",
                metadata: ["peer.id": "\(id)", "from": "\(outcome.previousAddress)", "to": "\(source)"])
        }
        reply(outcome.requestPk ? CachedReplies.requestPk : CachedReplies.noRequestPk)
        if let update = services.configUpdateIfNewer(than: serial),
            let bytes: [UInt8] = try? Hbb_RendezvousMessage.with({ $0.configureUpdate = update }).serializedBytes()
        {
            reply(bytes)
        }
    }

    // MARK: RegisterPk (§5.2)

    private func handleRegisterPk(_ message: Hbb_RegisterPk, from source: SocketAddr, reply: ([UInt8]) -> Void) {
        let socket = self.socket
        let answer = PeerRegistrar(services: services).registerPk(message, from: source) { result in
            socket.send(CachedReplies.registerPk(result), to: source)
        }
        if case .now(let result) = answer {
            reply(CachedReplies.registerPk(result))
        }
    }

    // MARK: ConfigUpdate (§5.4) and SoftwareUpdate (§5.5)

    private func handleConfigUpdate(_ update: Hbb_ConfigUpdate, from source: SocketAddr) {
        guard source.ip.normalized.isLoopback else { return }
        let services = self.services
        guard update.serial > services.configUpdates.serialAndServers.serial else { return }
        // DNS filtering blocks: do it on the blocking pool, then publish unless a newer update won.
        let requested = update.rendezvousServers.filter { !$0.isEmpty }
        services.blockingPool.submit { state in
            guard case .active = state else { return }
            let servers = services.resolveServerList(requested)
            guard services.configUpdates.replace(serial: update.serial, servers: servers) else { return }
            services.logger.info(
                "configuration updated", metadata: ["serial": "\(update.serial)", "rendezvous-servers": "\(servers)"])
        }
    }

    private func handleSoftwareUpdate(_ update: Hbb_SoftwareUpdate, reply: ([UInt8]) -> Void) {
        let version = services.settings.softwareVersion
        guard !version.isEmpty, update.url != version else { return }
        let url = services.settings.softwareURL
        if let bytes: [UInt8] = try? Hbb_RendezvousMessage.with({
            $0.softwareUpdate = .with { $0.url = url }
        }).serializedBytes() {
            reply(bytes)
        }
    }
}
