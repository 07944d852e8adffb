import Foundation
import GRDB
import RendezvousCore
import TestSupport
import Testing

@testable import PeerStore

/// Our migrations live beside the reference `peer` table, and a database moves freely between us
/// and OSS hbbs in both directions.
@Suite struct MigrationTests {
    /// A database we created and wrote still works for OSS hbbs: its schema statements change nothing,
    /// its select reads our row, and its insert and update work; we then load what it wrote.
    @Test func ourDatabaseStillWorksInTheReferenceServer() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db_v2.sqlite3")
        let ours = PeerSave.make(id: "written-by-us", ip: "::ffff:10.1.2.3", pk: [UInt8](repeating: 7, count: 32))
        let store = try SQLitePeerStore(location: DatabaseLocation(path: path))
        try await store.saveAndWait(ours).get()
        await store.shutdown()
        let schemaBefore = try SchemaSnapshot.read(path)

        let reference = try ReferenceServer(path: path)
        let row = try #require(try reference.getPeer(id: "written-by-us"))
        #expect(row["guid"] as Data? == Data(ours.guid))
        #expect(row["uuid"] as Data? == Data(ours.uuid))
        #expect(row["pk"] as Data? == Data(ours.pk))
        #expect(row["info"] as String? == #"{"ip":"::ffff:10.1.2.3"}"#)
        #expect((row["user"] as DatabaseValue).isNull)
        let theirs = ReferenceRow.make(id: "written-by-oss", ip: "::ffff:10.9.9.9")
        try reference.insertPeer(guid: theirs.guid, id: theirs.id, uuid: theirs.uuid, pk: theirs.pk, info: theirs.info)
        try reference.updatePeer(guid: ours.guid, id: ours.id, pk: [9], info: #"{"ip":"::ffff:10.4.4.4"}"#)
        try reference.close()
        #expect(try SchemaSnapshot.read(path) == schemaBefore)

        let reopened = try SQLitePeerStore(location: DatabaseLocation(path: path))
        var loaded: [String: PeerRecord] = [:]
        #expect(try reopened.loadAll { loaded[$0.id] = $0 } == PeerLoadSummary(loaded: 2, skipped: 0))
        #expect(
            loaded[ours.id] == PeerRecord(guid: ours.guid, id: ours.id, uuid: ours.uuid, pk: [9], ip: "::ffff:10.4.4.4")
        )
        #expect(loaded[theirs.id]?.guid == theirs.guid)
        await reopened.shutdown()
    }

    /// Opening again runs no migration twice; our tables come after the peer objects.
    @Test func migrationsRunOnce() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db.sqlite3")
        var migrator = PeerMigrations.migrator
        migrator.registerMigration("test-counter") { db in
            try db.execute(sql: "CREATE TABLE test_runs (n INTEGER)")
            try db.execute(sql: "INSERT INTO test_runs VALUES (1)")
        }
        for _ in 0..<2 {
            let database = try PeerDatabase.open(
                DatabaseLocation(path: path), durability: .full, busyTimeoutSeconds: 5, migrator: migrator)
            try database.close()
        }

        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try queue.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM test_runs") == 1)
            #expect(
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
                    == (PeerMigrations.migrator.migrations + ["test-counter"]).sorted())
            let migrationsRoot = try Int.fetchOne(
                db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'grdb_migrations'")
            let peerRoots = try Int.fetchAll(db, sql: "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'peer'")
            #expect(peerRoots.count == 5)
            #expect(peerRoots.allSatisfy { $0 < (migrationsRoot ?? 0) })
        }
    }

    /// A database a newer hbbs migrated (identifiers this build does not know) still opens; a downgrade
    /// keeps serving.
    @Test func unknownNewerMigrationsAreTolerated() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db.sqlite3")
        try PeerDatabase.open(DatabaseLocation(path: path)).close()
        let queue = try DatabaseQueue(path: path)
        try await queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-from-the-future')") }
        try queue.close()

        let store = try SQLitePeerStore(location: DatabaseLocation(path: path))
        try await store.saveAndWait(.make(id: "after-downgrade")).get()
        #expect(try await store.peerCount() == 1)
        await store.shutdown()
    }
}
