import Foundation
import GRDB
import Testing

@testable import PeerStore

@Suite struct SchemaTests {
    @Test func referenceDatabaseOpensUnchangedAndLoads() throws {
        let dir = try TempDirectory()
        let path = dir.path("db_v2.sqlite3")
        let rows = [
            ReferenceRow.make(id: "123456789", ip: "::ffff:192.168.1.5"),
            ReferenceRow.make(id: "987654321", ip: "2001:db8::7"),
            ReferenceRow.make(id: "rustdesk-mac", ip: "::ffff:10.0.0.1"),
        ]
        try makeReferenceDatabase(at: path, rows: rows)
        let schemaBefore = try SchemaSnapshot.read(path)

        let database = try PeerDatabase.open(DatabaseLocation(path: path))
        var loaded: [String: PeerRecord] = [:]
        let summary = try database.forEachPeer { loaded[$0.id] = $0 }
        #expect(summary == PeerLoadSummary(loaded: 3, skipped: 0))
        for row in rows {
            let expected = PeerRecord(
                guid: row.guid, id: row.id, uuid: row.uuid, pk: row.pk, ip: PeerInfo.decodeIP(row.info))
            #expect(loaded[row.id] == expected)
            #expect(try database.peer(id: row.id) == expected)
        }
        #expect(loaded["123456789"]?.ip == "::ffff:192.168.1.5")
        #expect(try database.peer(id: "nobody") == nil)
        try database.close()

        #expect(try SchemaSnapshot.read(path) == schemaBefore)
    }

    @Test func createdDatabaseHasTheReferenceSchema() throws {
        let dir = try TempDirectory()
        let referencePath = dir.path("reference.sqlite3")
        let ourPath = dir.path("ours.sqlite3")
        try makeReferenceDatabase(at: referencePath, rows: [])
        #expect(!FileManager.default.fileExists(atPath: ourPath))
        let database = try PeerDatabase.open(DatabaseLocation(path: ourPath))
        try database.close()
        #expect(FileManager.default.fileExists(atPath: ourPath))

        let ours = try SchemaSnapshot.read(ourPath)
        #expect(ours == (try SchemaSnapshot.read(referencePath)))
        #expect(
            ours.master.map { $0[1] } == [
                "index_peer_created_at", "index_peer_id", "index_peer_status", "index_peer_user", "peer",
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
        let dir = try TempDirectory()
        let path = dir.path("db.sqlite3")
        let store = try SQLitePeerStore(location: DatabaseLocation(path: path))
        let guid = try await awaitInsert(store.writer, id: "reopen01", ip: "1.2.3.4")
        store.writer.close()
        try store.database.close()
        let schemaBefore = try SchemaSnapshot.read(path)

        let reopened = try PeerDatabase.open(DatabaseLocation(path: path))
        #expect(try await reopened.peer(id: "reopen01")?.guid == guid)
        try reopened.close()
        #expect(try SchemaSnapshot.read(path) == schemaBefore)
    }

    @Test func malformedRowsAreSkippedNotFatal() throws {
        let dir = try TempDirectory()
        let path = dir.path("db.sqlite3")
        var bad = ReferenceRow.make(id: "broken-info", ip: "x")
        bad.info = "{not json"
        try makeReferenceDatabase(at: path, rows: [ReferenceRow.make(id: "good-row", ip: "::1"), bad])
        let queue = try DatabaseQueue(path: path)
        // A guid stored as an integer (BLOB columns accept anything) cannot be a guid.
        try queue.write {
            try $0.execute(sql: "insert into peer(guid, id, uuid, pk, info) values(7, 'int-guid', x'00', x'00', '{}')")
        }
        try queue.close()

        let database = try PeerDatabase.open(DatabaseLocation(path: path))
        defer { try? database.close() }
        var ids: [String: String] = [:]
        let summary = try database.forEachPeer { ids[$0.id] = $0.ip }
        #expect(summary == PeerLoadSummary(loaded: 2, skipped: 1))
        #expect(ids == ["good-row": "::1", "broken-info": ""])
        #expect(throws: PeerStoreError.self) { try database.peer(id: "int-guid") }
    }

    @Test func openFailureNamesThePath() throws {
        let dir = try TempDirectory()
        let path = dir.path("missing-directory/db.sqlite3")
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

/// Inserts through the writer and waits (with a timeout) for the committed guid.
func awaitInsert(
    _ writer: PeerWriter, id: String, uuid: [UInt8] = Array("uuid".utf8), pk: [UInt8] = [1, 2, 3], ip: String
)
    async throws -> [UInt8]
{
    let outcomes = Outcomes<Result<[UInt8], PeerStoreError>>()
    outcomes.expect()
    try writer.insertPeer(id: id, uuid: uuid, pk: pk, ip: ip) { outcomes.record($0) }
    guard await outcomes.wait(), let outcome = outcomes.all.first else { throw PeerStoreError.closed }
    return try outcome.get()
}
