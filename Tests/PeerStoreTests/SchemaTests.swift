import Foundation
import GRDB
import RendezvousCore
import TestSupport
import Testing

@testable import PeerStore

/// The `peer` table stays rustdesk-server's, byte for byte: text, columns, indexes and root pages.
@Suite struct SchemaTests {
    /// A database as OSS hbbs writes it opens with its peer objects and rows untouched, and gains only
    /// our migration bookkeeping.
    @Test func referenceDatabaseOpensUnchangedAndLoads() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db_v2.sqlite3")
        let rows = [
            ReferenceRow.make(id: "123456789", ip: "::ffff:192.168.1.5"),
            ReferenceRow.make(id: "987654321", ip: "2001:db8::7"),
            ReferenceRow.make(id: "rustdesk-mac", ip: "::ffff:10.0.0.1"),
        ]
        try makeReferenceDatabase(at: path, rows: rows)
        let schemaBefore = try SchemaSnapshot.read(path)
        let rowsBefore = try rawPeerRows(path)
        #expect(schemaBefore.otherObjects.isEmpty)

        let store = try SQLitePeerStore(location: DatabaseLocation(path: path))
        var loaded: [String: PeerRecord] = [:]
        let summary = try store.loadAll { loaded[$0.id] = $0 }
        #expect(summary == PeerLoadSummary(loaded: 3, skipped: 0))
        for row in rows {
            let expected = PeerRecord(
                guid: row.guid, id: row.id, uuid: row.uuid, pk: row.pk, ip: PeerInfo.decodeIP(row.info))
            #expect(loaded[row.id] == expected)
            #expect(try await store.peer(id: row.id) == expected)
        }
        #expect(loaded["123456789"]?.ip == "::ffff:192.168.1.5")
        #expect(try await store.peer(id: "nobody") == nil)
        #expect(try await store.peerCount() == 3)
        await store.shutdown()

        let after = try SchemaSnapshot.read(path)
        #expect(after.withoutOurObjects == schemaBefore)
        #expect(after.otherObjects.contains("grdb_migrations") && after.otherObjects.contains("api_user"))
        #expect(try rawPeerRows(path) == rowsBefore)
    }

    @Test func createdDatabaseHasTheReferenceSchema() throws {
        let dir = try TemporaryDirectory()
        let referencePath = dir.file("reference.sqlite3")
        let ourPath = dir.file("ours.sqlite3")
        try makeReferenceDatabase(at: referencePath, rows: [])
        #expect(!FileManager.default.fileExists(atPath: ourPath))
        let database = try PeerDatabase.open(DatabaseLocation(path: ourPath))
        try database.close()
        #expect(FileManager.default.fileExists(atPath: ourPath))

        let ours = try SchemaSnapshot.read(ourPath)
        let reference = try SchemaSnapshot.read(referencePath)
        #expect(ours.withoutOurObjects == reference)
        #expect(ours.otherObjects.allSatisfy(isOurObject))
        // Root pages 2 to 6, as the reference server's own statements lay them out.
        #expect(
            ours.peerObjects.map { [$0[1], $0[3]] } == [
                ["index_peer_created_at", "5"], ["index_peer_id", "3"], ["index_peer_status", "6"],
                ["index_peer_user", "4"], ["peer", "2"],
            ])

        let queue = try DatabaseQueue(path: ourPath)
        defer { try? queue.close() }
        try queue.read { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            // A WITHOUT ROWID table has no rowid to select.
            #expect(throws: DatabaseError.self) { try db.execute(sql: "SELECT rowid FROM peer") }
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'peer'")
            #expect(sql?.hasSuffix(") without rowid") == true)
        }
    }

    @Test func reopeningKeepsRowsAndSchema() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db.sqlite3")
        let store = try SQLitePeerStore(location: DatabaseLocation(path: path))
        let save = PeerSave.make(id: "reopen01", ip: "1.2.3.4")
        try await store.saveAndWait(save).get()
        await store.shutdown()
        let schemaBefore = try SchemaSnapshot.read(path)

        let reopened = try SQLitePeerStore(location: DatabaseLocation(path: path))
        #expect(try await reopened.peer(id: "reopen01")?.guid == save.guid)
        await reopened.shutdown()
        #expect(try SchemaSnapshot.read(path) == schemaBefore)
    }

    @Test func malformedRowsAreSkippedNotFatal() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db.sqlite3")
        var bad = ReferenceRow.make(id: "broken-info", ip: "x")
        bad.info = "{not json"
        try makeReferenceDatabase(at: path, rows: [ReferenceRow.make(id: "good-row", ip: "::1"), bad])
        let queue = try DatabaseQueue(path: path)
        // A guid stored as an integer (BLOB columns accept anything) cannot be a guid.
        try await queue.write {
            try $0.execute(sql: "insert into peer(guid, id, uuid, pk, info) values(7, 'int-guid', x'00', x'00', '{}')")
        }
        try queue.close()

        let store = try SQLitePeerStore(location: DatabaseLocation(path: path))
        var ids: [String: String] = [:]
        let summary = try store.loadAll { ids[$0.id] = $0.ip }
        #expect(summary == PeerLoadSummary(loaded: 2, skipped: 1))
        #expect(ids == ["good-row": "::1", "broken-info": ""])
        await #expect(throws: PeerStoreError.self) { try await store.peer(id: "int-guid") }
        await store.shutdown()
    }

    /// An error the load's body throws ends the load and comes out unchanged.
    @Test func loadStopsAtTheBodysError() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db.sqlite3")
        try makeReferenceDatabase(at: path, rows: (0..<3).map { ReferenceRow.make(id: "row-\($0)", ip: "::1") })
        let store = try SQLitePeerStore(location: DatabaseLocation(path: path))
        var calls = 0
        #expect(throws: PeerStoreError.malformedRow(reason: "stop")) {
            try store.loadAll { _ throws(PeerStoreError) in
                calls += 1
                throw .malformedRow(reason: "stop")
            }
        }
        #expect(calls == 1)
        await store.shutdown()
    }

    @Test func openFailureNamesThePath() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("missing-directory/db.sqlite3")
        do {
            _ = try PeerDatabase.open(DatabaseLocation(path: path))
            Issue.record("open should fail")
        } catch {
            guard case .openFailed(let failedPath, _) = error else { throw error }
            #expect(failedPath == path)
            #expect(error.description.contains(path))
        }
        #expect(throws: PeerStoreError.self) { try PeerDatabase.open(DatabaseLocation(dbURL: "sqlite::memory:")) }
    }
}
