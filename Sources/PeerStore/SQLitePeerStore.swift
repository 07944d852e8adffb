import RendezvousCore
import ServiceLifecycle

/// The SQLite `PeerStore`: one `PeerDatabase` (schema, migrations, reads) and its one `PeerWriter`
/// (group commit). Opened by hbbs at startup (step 2 of spec hbbs.md §3.1).
///
/// As a `Service`, `run()` only waits for the graceful shutdown, then commits what is queued and
/// closes the database. Listed first in a `ServiceGroup`, which stops services in reverse order,
/// it therefore stops last: the servers stop taking registrations and send the answers of the ones
/// they took before the writer closes. Outside a group (tests), call `shutdown()`.
public final class SQLitePeerStore: PeerStore, Service {
    let database: PeerDatabase
    let writer: PeerWriter

    /// Opens `location` (see `PeerDatabase.open`) and starts its writer.
    /// - Parameters:
    ///   - writeQueueCapacity: saves that may wait for a batch; more fail with `.queueFull`.
    ///   - busyTimeoutSeconds: how long a commit waits for another process's lock before it fails.
    ///   - onCommit: called after each committed batch on the writer's thread, with the batch's size
    ///     and the transaction's duration; must be short (it feeds a histogram).
    public init(
        location: DatabaseLocation, durability: PeerDatabase.Durability = .full, writeQueueCapacity: Int = 16_384,
        busyTimeoutSeconds: Double = 5, onCommit: (@Sendable (_ batchSize: Int, _ duration: Duration) -> Void)? = nil
    ) throws(PeerStoreError) {
        database = try PeerDatabase.open(location, durability: durability, busyTimeoutSeconds: busyTimeoutSeconds)
        writer = PeerWriter(database: database, capacity: writeQueueCapacity, onCommit: onCommit)
    }

    /// The API server's tables in the same file, written through the same writer.
    public var apiStore: SQLiteAPIStore { SQLiteAPIStore(database: database, writer: writer) }

    /// The database file, for logs.
    public var location: DatabaseLocation { database.location }

    public func loadAll(_ body: (PeerRecord) throws(PeerStoreError) -> Void) throws(PeerStoreError)
        -> PeerLoadSummary
    {
        try database.forEachPeer(body)
    }

    public func save(_ peer: PeerSave, completion: @escaping @Sendable (Result<Void, PeerStoreError>) -> Void) {
        writer.save(peer, completion: completion)
    }

    public func changeID(
        _ save: PeerSave, from oldID: String, completion: @escaping @Sendable (Result<Void, PeerStoreError>) -> Void
    ) {
        writer.perform(
            { db in
                try PeerWrite.upsert(save, db)
                try db.execute(
                    sql: """
                        UPDATE api_device SET id = ?1 WHERE id = ?2
                            AND NOT EXISTS (SELECT 1 FROM api_device WHERE id = ?1)
                        """,
                    arguments: [save.id, oldID])
            }, completion: completion)
    }

    public func flush() async {
        await writer.flush()
    }

    public func peer(id: String) async throws(PeerStoreError) -> PeerRecord? {
        try await database.peer(id: id)
    }

    public func peerCount() async throws(PeerStoreError) -> Int {
        try await database.count()
    }

    public var queueDepth: Int { writer.queueDepth }

    public var acceptsWrites: Bool { writer.acceptsWrites }

    /// Serves until the group's graceful shutdown (or cancellation), then `shutdown()`.
    public func run() async {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Stops accepting saves (later ones complete with `.closed`), commits what is queued and runs
    /// its completions, then closes the database; reads fail from then on. A close error is ignored
    /// because everything accepted has already been committed and answered. Safe to call twice.
    public func shutdown() async {
        let database = self.database
        await writer.shutdown { try? database.close() }
    }
}
