import Logging
import PeerStore
import RendezvousCore
import RendezvousProtocol
import RustDeskCore

/// ID changes (RegisterPk with `old_id`; issue 13): on unless ALLOW_ID_CHANGE=N, refused for a
/// disabled device, under the per-IP registration limit and the per-ID burst limit. The record moves
/// in memory first (so the new ID is claimed at once), then the `peer` row and the API's device row
/// move in one commit; a failed commit moves the record back.
extension PeerRegistrar {
    func changeID(
        _ message: Hbb_RegisterPk, from source: SocketAddr, onCommit: @escaping @Sendable (RegisterPkResult) -> Void
    ) -> Answer {
        let (oldID, newID) = (message.oldID, message.id)
        switch prepareIDChange(message, from: source) {
        case .failure(let refusal):
            count(refusal, from: oldID, to: newID)
            return .now(refusal.result)
        case .success(nil):
            services.metrics.idChanges.count(.ok)
            return .now(.ok)
        case .success(let moved?):
            persistIDChange(moved, from: oldID, to: newID, onCommit: onCommit)
            return .afterCommit
        }
    }

    /// The moved record, nil when the ID does not change, or the refusal.
    private func prepareIDChange(_ message: Hbb_RegisterPk, from source: SocketAddr)
        -> Result<RegisteredPeer?, IDChangeRefusal>
    {
        let (oldID, newID) = (message.oldID, message.id)
        guard services.settings.allowIDChange else { return .failure(.notAllowed) }
        guard IDChangeRules.isValidCustomID(newID) else { return .failure(.invalidID) }
        if services.api?.policy.isDisabled(deviceID: oldID) == true { return .failure(.notAllowed) }
        let now = services.now()
        let tables = services.tables
        let exempt = !services.settings.limitLoopbackRegistrations && source.ip.normalized.isLoopback
        guard exempt || tables.ipActivity.allowRegistration(ip: source.ip.description, id: newID, now: now) else {
            return .failure(.tooFrequent)
        }
        let uuid = [UInt8](message.uuid)
        let taken = tables.registry.withPeer(oldID) { IDChangeRules.take(&$0, uuid: uuid, now: now) }
        guard case .success(let peer) = taken else { return taken.map { _ in nil } }
        if newID == oldID { return .success(nil) }
        guard tables.registry.withPeer(newID, { IDChangeRules.place(&$0, peer) }) else { return .failure(.idExists) }
        guard tables.registry.withPeer(oldID, { IDChangeRules.release(&$0, guid: peer.guid) }) else {
            tables.registry.withPeer(newID) { _ = IDChangeRules.release(&$0, guid: peer.guid) }
            return .failure(.serverError)
        }
        return .success(peer)
    }

    private func persistIDChange(
        _ peer: RegisteredPeer, from oldID: String, to newID: String,
        onCommit: @escaping @Sendable (RegisterPkResult) -> Void
    ) {
        let save = PeerSave(guid: peer.guid, id: newID, uuid: peer.uuid, pk: peer.pk, infoIP: peer.infoIP)
        let (registry, metrics, logger, policy) = (
            services.tables.registry, services.metrics, services.logger, services.api?.policy
        )
        services.store.changeID(save, from: oldID) { result in
            switch result {
            case .success:
                policy?.deviceIDChanged(from: oldID, to: newID)
                metrics.idChanges.count(.ok)
                logger.notice("peer changed its ID", metadata: ["peer.id": "\(newID)", "old_id": "\(oldID)"])
                onCommit(.ok)
            case .failure(let error):
                // Back to the old ID, unless it was claimed meanwhile.
                registry.withPeer(newID) { _ = IDChangeRules.release(&$0, guid: peer.guid) }
                registry.withPeer(oldID) { _ = IDChangeRules.place(&$0, peer) }
                metrics.idChanges.count(.serverError)
                logger.error("cannot save an ID change", metadata: ["peer.id": "\(oldID)", "error": "\(error)"])
                onCommit(.serverError)
            }
        }
    }

    private func count(_ refusal: IDChangeRefusal, from oldID: String, to newID: String) {
        let reason: RendezvousMetrics.IDChange =
            switch refusal {
            case .notAllowed: .notAllowed
            case .invalidID: .invalidID
            case .uuidMismatch: .uuidMismatch
            case .idExists: .idExists
            case .tooFrequent: .tooFrequent
            case .serverError: .serverError
            }
        services.metrics.idChanges.count(reason)
        services.logger.info(
            "ID change refused",
            metadata: ["peer.id": "\(oldID)", "new_id": "\(newID)", "reason": "\(reason.rawValue)"])
    }
}
