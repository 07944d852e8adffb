import Dispatch
import Foundation
import GRDB
import RendezvousCore
import Synchronization
import TestSupport

@testable import PeerStore

/// A row shaped like a real client's: uuid is the ASCII text of a UUID, pk 32 bytes.
struct ReferenceRow {
    var guid: [UInt8]
    var id: String
    var uuid: [UInt8]
    var pk: [UInt8]
    var info: String

    static func make(id: String, ip: String) -> ReferenceRow {
        ReferenceRow(
            guid: PeerGUID.make(), id: id, uuid: Array(UUID().uuidString.lowercased().utf8),
            pk: (0..<32).map { _ in UInt8.random(in: 0...255) }, info: #"{"ip":"\#(ip)"}"#)
    }
}

/// Builds a database the way rustdesk-server does (sqlx: WAL, then the schema), with `rows`.
func makeReferenceDatabase(at path: String, rows: [ReferenceRow]) throws {
    let server = try ReferenceServer(path: path)
    for row in rows {
        try server.insertPeer(guid: row.guid, id: row.id, uuid: row.uuid, pk: row.pk, info: row.info)
    }
    try server.close()
}

/// Everything that makes two schemas the same to SQLite and to rustdesk-server: the `peer` table and
/// its indexes (root pages included), plus the names of any other objects (our migrations' tables).
struct SchemaSnapshot: Equatable {
    /// type, name, tbl_name, rootpage and sql of every object on `peer`.
    var peerObjects: [[String]]
    var columns: [[String]]
    var indexes: [[String]]
    var otherObjects: [String]

    static func read(_ path: String) throws -> SchemaSnapshot {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            func strings(_ sql: String) throws -> [[String]] {
                try Row.fetchAll(db, sql: sql).map { row in
                    row.databaseValues.map { String.fromDatabaseValue($0) ?? "\($0)" }
                }
            }
            return SchemaSnapshot(
                peerObjects: try strings(
                    "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE tbl_name = 'peer' ORDER BY name"
                ),
                columns: try strings("SELECT * FROM pragma_table_info('peer')"),
                indexes: try strings("SELECT * FROM pragma_index_list('peer') ORDER BY name"),
                otherObjects: try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE tbl_name != 'peer' ORDER BY name"))
        }
    }
}

/// What `PeerDatabase.open` adds to a database: GRDB's migration table and its primary-key index.
let migrationBookkeeping = ["grdb_migrations", "sqlite_autoindex_grdb_migrations_1"]

/// Whether a schema object beside `peer` is one of ours: the migrations' bookkeeping or an API table
/// (prefixed `api_`), with the indexes and AUTOINCREMENT bookkeeping SQLite makes for them.
func isOurObject(_ name: String) -> Bool {
    migrationBookkeeping.contains(name) || name.hasPrefix("api_") || name.hasPrefix("sqlite_autoindex_api_")
        || name == "sqlite_sequence"
}

extension SchemaSnapshot {
    /// The snapshot with only the objects rustdesk-server knows; ours are checked apart.
    var withoutOurObjects: SchemaSnapshot {
        var copy = self
        copy.otherObjects = otherObjects.filter { !isOurObject($0) }
        return copy
    }
}

/// Every stored value of every `peer` row, as SQL literals (blobs as X'…'), ordered by id.
func rawPeerRows(_ path: String) throws -> [[String]] {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    return try queue.read { db in
        try Row.fetchAll(
            db,
            sql: "SELECT quote(guid), quote(id), quote(uuid), quote(pk), quote(created_at), quote(user),"
                + " quote(status), quote(note), quote(info) FROM peer ORDER BY id"
        ).map { row in row.databaseValues.map { String.fromDatabaseValue($0) ?? "" } }
    }
}

/// Holds SQLite's write lock from a second connection so the writer's next transaction waits:
/// the way tests make batches deterministic without sleeping.
final class WriteLockHolder {
    private let queue: DatabaseQueue

    init(path: String) throws {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // the point is to keep the transaction open
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
    }

    func release() throws {
        try queue.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        try queue.close()
    }
}

/// Runs blocking work (a wait on the writer's queue, a synchronous close) on a Dispatch thread, so it
/// never holds one of the few threads every parallel test's async work shares: the writer runs at
/// background priority, and beside busy CPUs a blocked wait can last seconds.
func offThePool<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
}

/// Collects completion outcomes from any thread; `wait` waits (off the cooperative pool) with a timeout.
final class Outcomes<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    private let group = DispatchGroup()

    func expect(_ count: Int = 1) { for _ in 0..<count { group.enter() } }

    func record(_ value: Value) {
        values.withLock { $0.append(value) }
        group.leave()
    }

    /// True when every expected outcome arrived within `seconds`.
    func wait(seconds: Double = 60) async -> Bool {
        let group = group
        return await offThePool { group.wait(timeout: .now() + seconds) == .success }
    }

    var all: [Value] { values.withLock { $0 } }
}

extension PeerSave {
    /// A save shaped like a first registration: a fresh guid, a uuid and a 32-byte key.
    static func make(id: String, ip: String = "::1", pk: [UInt8] = [1, 2, 3]) -> PeerSave {
        PeerSave(guid: PeerGUID.make(), id: id, uuid: Array("uuid-\(id)".utf8), pk: pk, infoIP: ip)
    }
}

extension SQLitePeerStore {
    /// Saves and waits (off the cooperative pool, with a deadline) for the outcome.
    func saveAndWait(_ peer: PeerSave) async throws -> Result<Void, PeerStoreError> {
        let outcomes = Outcomes<Result<Void, PeerStoreError>>()
        outcomes.expect()
        save(peer) { outcomes.record($0) }
        guard await outcomes.wait(), let outcome = outcomes.all.first else { throw TestTimeout() }
        return outcome
    }

    /// Polls (with a deadline) until the writer has taken everything queued into a batch.
    func waitUntilQueueTaken(timeout: Duration = .seconds(30)) async -> Bool {
        await poll(timeout: timeout) { queueDepth == 0 }
    }
}

/// How long a store in these tests waits for SQLite's lock, held by a `WriteLockHolder` while the test
/// queues saves behind it: far longer than any test holds it, so a loaded machine cannot turn the wait
/// into a failed commit.
let lockPatience: Double = 300
