import GRDB

/// API tokens (issue 13). `permissions` is the `AREA:LEVEL` list (`APIPermissions.description`);
/// a revoked token keeps its row so lists show what existed and when it ended.
extension APIMigrations {
    static func tokens(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE api_token (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    guid TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    token_digest BLOB NOT NULL UNIQUE,
                    permissions TEXT NOT NULL,
                    created_by TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER,
                    last_used_at INTEGER,
                    revoked_at INTEGER
                );
                """)
    }
}
