import GRDB

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One queued write with its completion: the unit `PeerWriter` batches. The two kinds are the
/// only writes the reference server makes (spec hbbs.md §2.4, §5.2 step 8).
enum PeerWrite: Sendable {
    case insert(guid: [UInt8], id: String, uuid: [UInt8], pk: [UInt8], info: String, completion: InsertCompletion)
    case update(guid: [UInt8], id: String, pk: [UInt8], info: String, completion: UpdateCompletion)
    /// Insert-or-update by guid; hbbs's own path (`PeerWriter.savePeer`).
    case save(guid: [UInt8], id: String, uuid: [UInt8], pk: [UInt8], info: String, completion: UpdateCompletion)

    typealias InsertCompletion = @Sendable (Result<[UInt8], PeerStoreError>) -> Void
    typealias UpdateCompletion = @Sendable (Result<Void, PeerStoreError>) -> Void

    /// Runs the statement inside the writer's open transaction.
    func apply(_ db: Database) throws {
        switch self {
        case .insert(let guid, let id, let uuid, let pk, let info, _):
            try db.cachedStatement(sql: PeerSchema.insert)
                .execute(arguments: [Data(guid), id, Data(uuid), Data(pk), info])
        case .update(let guid, let id, let pk, let info, _):
            // Like the reference, an update that matches no row is not an error.
            try db.cachedStatement(sql: PeerSchema.update)
                .execute(arguments: [id, Data(pk), info, Data(guid)])
        case .save(let guid, let id, let uuid, let pk, let info, _):
            try db.cachedStatement(sql: PeerSchema.upsert)
                .execute(arguments: [Data(guid), id, Data(uuid), Data(pk), info])
        }
    }

    /// Reports the outcome; the writer calls this only once the batch's COMMIT has returned.
    func complete(_ outcome: Result<Void, PeerStoreError>) {
        switch self {
        case .insert(let guid, _, _, _, _, let completion): completion(outcome.map { guid })
        case .update(_, _, _, _, let completion): completion(outcome)
        case .save(_, _, _, _, _, let completion): completion(outcome)
        }
    }
}
