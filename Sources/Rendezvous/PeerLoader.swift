import PeerStore
import RendezvousCore
import RustDeskCore

/// Loads every `peer` row into the registry at start-up. With the whole table in memory, "memory,
/// else database" lookups of the reference (spec/hbbs.md §4.1) never touch the disk, so no request
/// path waits on SQLite; rows arrive offline until their next heartbeat.
public enum PeerLoader {
    public static func load(from store: any PeerStore, into registry: PeerRegistry, now: Milliseconds)
        throws(PeerStoreError) -> PeerLoadSummary
    {
        var batch: [(id: String, peer: RegisteredPeer)] = []
        batch.reserveCapacity(4096)
        let summary = try store.loadAll { record in
            batch.append(
                (record.id, .loaded(guid: record.guid, uuid: record.uuid, pk: record.pk, infoIP: record.ip, now: now)))
            if batch.count == 4096 {
                registry.insert(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        registry.insert(batch)
        return summary
    }
}
