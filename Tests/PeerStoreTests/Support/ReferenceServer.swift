import Foundation
import GRDB
import TestSupport

/// What OSS hbbs does with a `db_v2.sqlite3` (rustdesk-server src/database.rs, spec hbbs.md §2.4),
/// through plain SQLite: run its schema statements, then its three queries.
struct ReferenceServer {
    let queue: DatabaseQueue

    /// Opens `path` and runs the reference schema statements, as OSS hbbs does at every start.
    init(path: String) throws {
        queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: referenceSchemaSQL)
        }
    }

    func getPeer(id: String) throws -> Row? {
        try queue.read { db in
            try Row.fetchOne(
                db, sql: "select guid, id, uuid, pk, user, status, info from peer where id = ?", arguments: [id])
        }
    }

    func insertPeer(guid: [UInt8], id: String, uuid: [UInt8], pk: [UInt8], info: String) throws {
        try queue.write { db in
            try db.execute(
                sql: "insert into peer(guid, id, uuid, pk, info) values(?, ?, ?, ?, ?)",
                arguments: [Data(guid), id, Data(uuid), Data(pk), info])
        }
    }

    func updatePeer(guid: [UInt8], id: String, pk: [UInt8], info: String) throws {
        try queue.write { db in
            try db.execute(
                sql: "update peer set id=?, pk=?, info=? where guid=?", arguments: [id, Data(pk), info, Data(guid)])
        }
    }

    func close() throws { try queue.close() }
}
