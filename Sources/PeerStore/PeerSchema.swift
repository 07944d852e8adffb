import GRDB

/// The `peer` table of rustdesk-server's `db_v2.sqlite3` (spec hbbs.md §2.4), byte for byte.
///
/// SQLite stores each CREATE statement's text in `sqlite_master`, whitespace included, so the
/// column list keeps the reference server's indentation: a database we create is then
/// indistinguishable from one it created. Everything is `IF NOT EXISTS` and nothing is ever
/// altered, so an existing reference database opens unchanged. Used by `PeerDatabase.open`, before
/// `PeerMigrations` adds our own tables.
enum PeerSchema {
    static let createTable =
        "create table if not exists peer (\n"
        + "                guid blob primary key not null,\n"
        + "                id varchar(100) not null,\n"
        + "                uuid blob not null,\n"
        + "                pk blob not null,\n"
        + "                created_at datetime not null default(current_timestamp),\n"
        + "                user blob,\n"
        + "                status tinyint,\n"
        + "                note varchar(300),\n"
        + "                info text not null\n"
        + "            ) without rowid"

    /// In the reference order, so even the root pages come out the same.
    static let createIndexes = [
        "create unique index if not exists index_peer_id on peer (id)",
        "create index if not exists index_peer_user on peer (user)",
        "create index if not exists index_peer_created_at on peer (created_at)",
        "create index if not exists index_peer_status on peer (status)",
    ]

    /// The columns hbbs reads (spec: select guid, id, uuid, pk, user, status, info by id).
    static let selectColumns = "guid, id, uuid, pk, user, status, info"
    static let selectByID = "SELECT \(selectColumns) FROM peer WHERE id = ?"
    static let selectAll = "SELECT \(selectColumns) FROM peer"
    /// The reference inserts and updates by guid in two statements; one upsert lets a save queued
    /// before its row's insert committed still land on that row.
    static let upsert =
        "INSERT INTO peer(guid, id, uuid, pk, info) VALUES(?, ?, ?, ?, ?)"
        + " ON CONFLICT(guid) DO UPDATE SET id = excluded.id, pk = excluded.pk, info = excluded.info"

    /// Creates what is missing in one transaction, so a crash never leaves a table without its indexes.
    static func create(in db: Database) throws {
        try db.inTransaction {
            try db.execute(sql: createTable)
            for sql in createIndexes {
                try db.execute(sql: sql)
            }
            return .commit
        }
    }
}
