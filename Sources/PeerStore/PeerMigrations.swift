import GRDB

/// Our own tables in `db_v2.sqlite3`, beside the reference `peer` table. `PeerDatabase.open`
/// creates `peer` and its indexes first, outside the migrator and exactly as rustdesk-server does
/// (`PeerSchema`), then runs this migrator; its `grdb_migrations` bookkeeping table therefore comes
/// after the peer objects, which keep the reference's text and root pages. Both directions keep
/// working: an OSS hbbs database opens unchanged plus our tables, and OSS hbbs ignores our tables.
///
/// To add a migration, append one `registerMigration` call below with a new, never reused
/// identifier ("v2-…"); never edit or reorder a registered one, since databases in the field have
/// already run it. A migration may create or alter only our own tables: never `peer` or its
/// indexes, or OSS hbbs could no longer use the file. A database written by a newer hbbs (with
/// migrations this build does not know) still opens: GRDB skips unknown identifiers.
enum PeerMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        // An empty baseline: the schema as rustdesk-server defines it, which `PeerSchema` has just
        // made sure of. It gives later migrations a first entry to follow, and every database opened
        // by us a `grdb_migrations` table, so the bookkeeping is in place before any table needs it.
        migrator.registerMigration("v1-reference-peer-table") { _ in }
        APIMigrations.register(in: &migrator)
        return migrator
    }
}
