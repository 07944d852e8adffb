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
        /// Statements run without a savepoint: the body's first statement alone needs none (SQLite undoes
        /// a failed statement by itself, see `PeerWriter.commit`), and a body that goes on to run more
        /// opens its own. Saves the savepoint's two statements on hot single-statement writes (heartbeats).
        case unguarded(@Sendable (Database) throws -> Void)
    }

    let operation: Operation
    let completion: Completion

    init(save: PeerSave, completion: @escaping Completion) {
        operation = .save(save)
        self.completion = completion
    }

    init(
        statements: @escaping @Sendable (Database) throws -> Void, guarded: Bool = true,
        completion: @escaping Completion
    ) {
        operation = guarded ? .statements(statements) : .unguarded(statements)
        self.completion = completion
    }

    func apply(_ db: Database) throws {
        switch operation {
        case .save(let save): try Self.upsert(save, db)
        case .statements(let body):
            try db.inSavepoint {
                try body(db)
                return .commit
            }
        case .unguarded(let body): try body(db)
        }
    }

    /// Insert-or-update by guid inside the writer's open transaction. hbbs assigns the guid in memory
    /// before queueing, so a first registration and the changes that follow it before the commit all
    /// land on one row, in order. The `info` JSON is built here, on the writer's thread, not on the
    /// caller's (hbbs's UDP thread).
    static func upsert(_ save: PeerSave, _ db: Database) throws {
        try db.cachedStatement(sql: PeerSchema.upsert)
            .execute(arguments: [
                Data(save.guid), save.id, Data(save.uuid), Data(save.pk), PeerInfo.encode(ip: save.infoIP),
            ])
    }
}
