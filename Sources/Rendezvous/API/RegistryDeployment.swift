import APICore
import PeerStore
import RendezvousCore
import RustDeskNIO

/// `DeviceDeployment` over hbbs's registry and peer store: the record is claimed under its shard
/// lock (a new one, or the same uuid's with its key replaced), then the row is saved; a failed save
/// undoes a new record.
struct RegistryDeployment: DeviceDeployment {
    let registry: PeerRegistry
    let store: any PeerStore
    let clock: ServerClock

    private enum Claim {
        case taken, unchanged
        case save(PeerSave, created: Bool)
    }

    func deploy(id: String, uuid: [UInt8], pk: [UInt8]) async -> DeployOutcome {
        let now = clock.now()
        let claim = registry.withPeer(id) { record -> Claim in
            if var peer = record {
                guard peer.hasUUID(uuid) else { return .taken }
                if peer.pk == pk { return .unchanged }
                peer.pk = pk
                record = peer
                return .save(PeerSave(guid: peer.guid, id: id, uuid: uuid, pk: pk, infoIP: peer.infoIP), created: false)
            }
            let peer = RegisteredPeer.loaded(guid: PeerGUID.make(), uuid: uuid, pk: pk, infoIP: "", now: now)
            record = peer
            return .save(PeerSave(guid: peer.guid, id: id, uuid: uuid, pk: pk, infoIP: ""), created: true)
        }
        switch claim {
        case .taken: return .idTaken
        case .unchanged: return .ok
        case .save(let save, let created):
            let result = await withCheckedContinuation { continuation in
                store.save(save) { continuation.resume(returning: $0) }
            }
            guard case .failure = result else { return .ok }
            if created { registry.withPeer(id) { record in if record?.guid == save.guid { record = nil } } }
            return .unavailable
        }
    }
}
