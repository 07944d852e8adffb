import Logging
import PeerStore
import RendezvousCore
import RendezvousProtocol
import RustDeskCore

/// RegisterPk for every transport (spec/hbbs.md §5.2; client.md §3.5.6 for TCP/WebSocket): runs the
/// rules under the peer's shard lock, records IP changes, and queues changed rows to the store.
/// Called by the UDP handler and by registration connections; the caller sends the answer.
struct PeerRegistrar: Sendable {
    let services: RendezvousServices

    enum Answer: Sendable {
        /// Send nothing (missing uuid or pk).
        case none
        /// Answer now.
        case now(RegisterPkResult)
        /// The row is being committed; `onCommit` will be called with the answer.
        case afterCommit
    }

    /// - Parameter onCommit: called once, from the store's thread, when a queued save has committed
    ///   (`.ok`) or failed (`.serverError`); not called unless the answer is `.afterCommit`.
    func registerPk(
        _ message: Hbb_RegisterPk, from source: SocketAddr,
        onCommit: @escaping @Sendable (RegisterPkResult) -> Void
    ) -> Answer {
        if !message.oldID.isEmpty { return changeID(message, from: source, onCommit: onCommit) }
        let services = self.services
        let now = services.now()
        let ipText = source.ip.description
        let tables = services.tables
        let uuid = [UInt8](message.uuid)
        let pk = [UInt8](message.pk)
        // Loopback sources skip the per-IP limit: only processes on this host can send from 127/8 or
        // ::1 (the kernel drops such sources arriving from outside), they already have the console,
        // and they are what a local client or a load test on the server's own host looks like.
        let exempt = !services.settings.limitLoopbackRegistrations && source.ip.normalized.isLoopback
        // Lock order: the record's shard, then (in `allowedByIPBlocker`) the IP blocker, which takes no
        // other lock. The blocker must run under the shard lock: it is consulted only for a new or moving
        // ID, which only the record can tell.
        let outcome = tables.registry.withPeer(message.id) { record in
            RegistrationRules.registerPk(
                &record, id: message.id, uuid: uuid, pk: pk, source: source, sourceIPText: ipText,
                allowedByIPBlocker: {
                    exempt || tables.ipActivity.allowRegistration(ip: ipText, id: message.id, now: now)
                },
                newGUID: PeerGUID.make, now: now)
        }
        let registrations = services.metrics.registrations
        switch outcome {
        case .ignore:
            registrations.count(.ignored)
            return .none
        case .reply(let result):
            if let counted = RendezvousMetrics.Registration(result) { registrations.count(counted) }
            return .now(result)
        case .unchanged:
            registrations.count(.ok)
            return .now(.ok)
        case .save(let save, let ipChanged):
            if ipChanged {
                tables.ipActivity.recordIPChange(id: message.id, ip: ipText, now: now)
            }
            persist(save, onCommit: onCommit)
            return .afterCommit
        }
    }

    /// Queues the row; `onCommit` runs after the commit (OK) or the failure (SERVER_ERROR, and the
    /// key is forgotten so the peer's next heartbeat asks for it again).
    private func persist(_ save: RegistrationRules.PeerSave, onCommit: @escaping @Sendable (RegisterPkResult) -> Void) {
        // The completion waits in the store's queue until its batch commits: it captures only what it
        // uses, not the whole `services` value (measured: capturing that cost ~23 B per registered peer
        // at a million, docs/performance.md).
        let registrations = services.metrics.registrations
        let registry = services.tables.registry
        let logger = services.logger
        let completion: @Sendable (Result<Void, PeerStoreError>) -> Void = { result in
            switch result {
            case .success:
                registrations.count(.ok)
                onCommit(.ok)
            case .failure(let error):
                registrations.count(.serverError)
                logger.error("cannot save peer", metadata: ["peer.id": "\(save.id)", "error": "\(error)"])
                registry.withPeer(save.id) { RegistrationRules.saveFailed(&$0, save: save) }
                onCommit(.serverError)
            }
        }
        services.store.save(save, completion: completion)
    }
}
