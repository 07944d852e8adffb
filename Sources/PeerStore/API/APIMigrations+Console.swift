import GRDB

/// The console audit (issue 13): every administrative change, with who (`operator`, its kind and the
/// session reference or token guid), from where and what (`info`, a JSON object text).
extension APIMigrations {
    static func consoleAudit(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE api_audit_console (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    guid TEXT NOT NULL UNIQUE,
                    typ INTEGER NOT NULL,
                    iop INTEGER NOT NULL,
                    operator TEXT NOT NULL,
                    operator_kind TEXT NOT NULL,
                    credential TEXT NOT NULL DEFAULT '',
                    ip TEXT NOT NULL DEFAULT '',
                    info TEXT NOT NULL DEFAULT '{}',
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX api_audit_console_created ON api_audit_console(created_at);
                """)
    }
}
