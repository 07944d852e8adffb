import GRDB

extension APIMigrations {
    /// The audit log (http-api.md §6): one row per connection, filled in by its records; file
    /// transfers; alarms; and the nonces of applied records, remembered a day for de-duplication.
    /// `session_id` is the client's u64 stored as its Int64 bit pattern (0 = not known yet).
    static func audit(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE api_audit_conn (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    guid TEXT NOT NULL UNIQUE,
                    device_id TEXT NOT NULL,
                    conn_id INTEGER NOT NULL,
                    session_id INTEGER NOT NULL DEFAULT 0,
                    ip TEXT NOT NULL DEFAULT '',
                    conn_audit_ref TEXT NOT NULL DEFAULT '',
                    peer_id TEXT NOT NULL DEFAULT '',
                    peer_name TEXT NOT NULL DEFAULT '',
                    conn_type INTEGER,
                    primary_auth INTEGER,
                    two_factor INTEGER,
                    note TEXT NOT NULL DEFAULT '',
                    note_by TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL,
                    opened_at INTEGER,
                    authorized_at INTEGER,
                    closed_at INTEGER
                );
                CREATE INDEX api_audit_conn_connection ON api_audit_conn(device_id, conn_id, id);
                CREATE INDEX api_audit_conn_session ON api_audit_conn(device_id, session_id, id);
                CREATE INDEX api_audit_conn_created ON api_audit_conn(created_at);
                CREATE TABLE api_audit_file (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    device_id TEXT NOT NULL,
                    peer_id TEXT NOT NULL DEFAULT '',
                    conn_id INTEGER NOT NULL DEFAULT 0,
                    type INTEGER NOT NULL DEFAULT 0,
                    path TEXT NOT NULL DEFAULT '',
                    is_file INTEGER NOT NULL DEFAULT 0,
                    info TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX api_audit_file_device ON api_audit_file(device_id, id);
                CREATE INDEX api_audit_file_created ON api_audit_file(created_at);
                CREATE TABLE api_audit_alarm (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    device_id TEXT NOT NULL,
                    typ INTEGER NOT NULL DEFAULT 0,
                    info TEXT NOT NULL DEFAULT '',
                    conn_id INTEGER NOT NULL DEFAULT 0,
                    conn_audit_ref TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX api_audit_alarm_device ON api_audit_alarm(device_id, id);
                CREATE INDEX api_audit_alarm_created ON api_audit_alarm(created_at);
                CREATE TABLE api_audit_nonce (
                    device_id TEXT NOT NULL,
                    nonce TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (device_id, nonce)
                ) WITHOUT ROWID;
                CREATE INDEX api_audit_nonce_created ON api_audit_nonce(created_at);
                """)
    }
}
