/// Where hbbs queues peer rows (spec hbbs.md §5.2 step 8): the completion runs only after the write
/// is committed (or failed), so the server answers OK only for durable registrations. hbbs depends on
/// this protocol so its tests can inject a failing or slow store.
public protocol PeerSaving: Sendable {
    func savePeer(
        guid: [UInt8], id: String, uuid: [UInt8], pk: [UInt8], ip: String,
        completion: @escaping @Sendable (Result<Void, PeerStoreError>) -> Void
    ) throws(PeerStoreError)

    /// Returns once every save submitted before the call has been committed (or failed) and its
    /// completion has run; later saves are still accepted. hbbs stops receiving, flushes, and only
    /// then closes the socket the completions answer on.
    func flush() async
}

extension PeerWriter: PeerSaving {}

/// The SQLite store: one `PeerDatabase` (reads, schema) and its one `PeerWriter`.
/// Created by hbbs at startup (step 2 of spec hbbs.md §3.1); `shutdown()` on SIGTERM.
public final class SQLitePeerStore: PeerSaving {
    public let database: PeerDatabase
    public let writer: PeerWriter

    /// Opens `location` (see `PeerDatabase.open`) and starts its writer.
    public init(
        location: DatabaseLocation, durability: PeerDatabase.Durability = .full, writeQueueCapacity: Int = 16_384
    ) throws(PeerStoreError) {
        database = try PeerDatabase.open(location, durability: durability)
        writer = PeerWriter(database: database, capacity: writeQueueCapacity)
    }

    public func peer(id: String) async throws(PeerStoreError) -> PeerRecord? {
        try await database.peer(id: id)
    }

    public func savePeer(
        guid: [UInt8], id: String, uuid: [UInt8], pk: [UInt8], ip: String,
        completion: @escaping @Sendable (Result<Void, PeerStoreError>) -> Void
    ) throws(PeerStoreError) {
        try writer.savePeer(guid: guid, id: id, uuid: uuid, pk: pk, ip: ip, completion: completion)
    }

    public func flush() async {
        await writer.flush()
    }

    /// Commits what is queued, then closes the database; a close error is ignored because
    /// everything accepted has already been committed and answered.
    public func shutdown() async {
        await writer.shutdown()
        try? database.close()
    }
}
