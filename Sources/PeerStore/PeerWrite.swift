import GRDB
import RendezvousCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One queued save with its completion: the unit `PeerWriter` batches.
struct PeerWrite: Sendable {
    typealias Completion = @Sendable (Result<Void, PeerStoreError>) -> Void

    let save: PeerSave
    let completion: Completion

    /// Insert-or-update by guid inside the writer's open transaction. hbbs assigns the guid in memory
    /// before queueing, so a first registration and the changes that follow it before the commit all
    /// land on one row, in order. The `info` JSON is built here, on the writer's thread, not on the
    /// caller's (hbbs's UDP thread).
    func apply(_ db: Database) throws {
        try db.cachedStatement(sql: PeerSchema.upsert)
            .execute(arguments: [
                Data(save.guid), save.id, Data(save.uuid), Data(save.pk), PeerInfo.encode(ip: save.infoIP),
            ])
    }
}
