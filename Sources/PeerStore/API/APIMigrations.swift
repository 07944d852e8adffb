import GRDB

/// The API server's tables in `db_v2.sqlite3`, registered by `PeerMigrations` after the baseline.
/// Every table is prefixed `api_` so it never meets rustdesk-server's own objects. Times are Unix
/// seconds; 64-bit unsigned values from the client (session ids, tag colours) are stored as their
/// two's-complement bit pattern in INTEGER columns and converted back on the way out.
enum APIMigrations {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-api-accounts", migrate: accounts)
        migrator.registerMigration("v2-api-audit", migrate: audit)
        migrator.registerMigration("v2-api-devices", migrate: devices)
        migrator.registerMigration("v2-api-address-books", migrate: addressBooks)
        migrator.registerMigration("v2-api-tokens", migrate: tokens)
        migrator.registerMigration("v2-api-console-audit", migrate: consoleAudit)
        migrator.registerMigration("v2-api-defaults", migrate: defaults)
        migrator.registerMigration("v2-api-access-rules", migrate: accessRules)
        migrator.registerMigration("v2-api-device-status", migrate: deviceStatus)
        migrator.registerMigration("v2-api-address-book-rule-guids", migrate: addressBookRuleGUIDs)
        migrator.registerMigration("v2-api-invitations", migrate: invitations)
    }

    private static func accounts(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE api_user_group (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    guid TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    note TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE api_user (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    guid TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    email TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
                    display_name TEXT NOT NULL DEFAULT '',
                    note TEXT NOT NULL DEFAULT '',
                    password_hash TEXT NOT NULL,
                    is_admin INTEGER NOT NULL DEFAULT 0,
                    status INTEGER NOT NULL DEFAULT 1,
                    group_id INTEGER REFERENCES api_user_group(id) ON DELETE SET NULL,
                    totp_secret BLOB,
                    totp_last_step INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE UNIQUE INDEX api_user_email ON api_user(email) WHERE email <> '';
                CREATE TABLE api_session (
                    token_digest BLOB PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES api_user(id) ON DELETE CASCADE,
                    created_at INTEGER NOT NULL,
                    last_used_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    device_id TEXT NOT NULL DEFAULT '',
                    device_uuid TEXT NOT NULL DEFAULT '',
                    device_os TEXT NOT NULL DEFAULT '',
                    device_type TEXT NOT NULL DEFAULT '',
                    device_name TEXT NOT NULL DEFAULT '',
                    ip TEXT NOT NULL DEFAULT ''
                ) WITHOUT ROWID;
                CREATE INDEX api_session_user ON api_session(user_id);
                CREATE INDEX api_session_expiry ON api_session(expires_at);
                """)
    }
}
