/// What the rendezvous server needs from persistent storage (spec hbbs.md §4.1, §5.2): a
/// lookup by id that never blocks its caller, and queued writes answered after commit.
/// hbbs depends on this protocol so its tests can use an in-memory fake.
public protocol PeerStorage: Sendable {
    func peer(id: String) async throws(PeerStoreError) -> PeerRecord?
    func insertPeer(
        id: String, uuid: [UInt8], pk: [UInt8], ip: String,
        completion: @escaping @Sendable (Result<[UInt8], PeerStoreError>) -> Void
    ) throws(PeerStoreError)
    func updatePeer(
        guid: [UInt8], id: String, pk: [UInt8], ip: String,
        completion: @escaping @Sendable (Result<Void, PeerStoreError>) -> Void
    ) throws(PeerStoreError)
    func shutdown() async
}

/// The SQLite `PeerStorage`: one `PeerDatabase` (reads, schema) and its one `PeerWriter`.
/// Created by hbbs at startup (step 2 of spec hbbs.md §3.1); `shutdown()` on SIGTERM.
public final class SQLitePeerStore: PeerStorage {
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

    public func insertPeer(
        id: String, uuid: [UInt8], pk: [UInt8], ip: String,
        completion: @escaping @Sendable (Result<[UInt8], PeerStoreError>) -> Void
    ) throws(PeerStoreError) {
        try writer.insertPeer(id: id, uuid: uuid, pk: pk, ip: ip, completion: completion)
    }

    public func updatePeer(
        guid: [UInt8], id: String, pk: [UInt8], ip: String,
        completion: @escaping @Sendable (Result<Void, PeerStoreError>) -> Void
    ) throws(PeerStoreError) {
        try writer.updatePeer(guid: guid, id: id, pk: pk, ip: ip, completion: completion)
    }

    /// Commits what is queued, then closes the database; a close error is ignored because
    /// everything accepted has already been committed and answered.
    public func shutdown() async {
        await writer.shutdown()
        try? database.close()
    }
}
