import GRDB
import RendezvousCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One queued write with its completion: the unit `PeerWriter` batches. Mostly a registration's
/// save; the API server's writes (accounts, books, heartbeats, audit) ride the same group commit.
struct PeerWrite: Sendable {
    typealias Completion = @Sendable (Result<Void, PeerStoreError>) -> Void

    enum Operation: Sendable {
        case save(PeerSave)
        /// Any statements; run inside a savepoint so that its failure undoes only itself.
        case statements(@Sendable (Database) throws -> Void)
    }

    let operation: Operation
    let completion: Completion

    init(save: PeerSave, completion: @escaping Completion) {
        operation = .save(save)
        self.completion = completion
    }

    init(statements: @escaping @Sendable (Database) throws -> Void, completion: @escaping Completion) {
        operation = .statements(statements)
        self.completion = completion
    }

    func apply(_ db: Database) throws {
        switch operation {
        case .save(let save): try apply(save, db)
        case .statements(let body):
            try db.inSavepoint {
                try body(db)
                return .commit
            }
        }
    }

    /// Insert-or-update by guid inside the writer's open transaction. hbbs assigns the guid in memory
    /// before queueing, so a first registration and the changes that follow it before the commit all
    /// land on one row, in order. The `info` JSON is built here, on the writer's thread, not on the
    /// caller's (hbbs's UDP thread).
    private func apply(_ save: PeerSave, _ db: Database) throws {
        try db.cachedStatement(sql: PeerSchema.upsert)
            .execute(arguments: [
                Data(save.guid), save.id, Data(save.uuid), Data(save.pk), PeerInfo.encode(ip: save.infoIP),
            ])
    }
}
