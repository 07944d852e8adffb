import GRDB

/// Devices, device groups and strategies (http-api.md §2, §5). `api_device` is keyed by the RustDesk
/// ID, the `peer` table's `id`, so a device that registered over UDP and posted sysinfo is one row in
/// each; `peer` itself stays untouched. A user's own strategy lives in `api_user_strategy` so the
/// accounts table keeps its shape (it only gains an index on `group_id`, which the group tab filters on).
/// `api_strategy_key` remembers every option key a strategy ever set, so the heartbeat can clear a
/// key that a strategy no longer sets (or that belonged to a deleted strategy).
extension APIMigrations {
    static func devices(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE api_strategy (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    guid TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    options TEXT NOT NULL DEFAULT '{}',
                    extra TEXT NOT NULL DEFAULT '{}',
                    modified_at INTEGER NOT NULL,
                    enabled INTEGER NOT NULL DEFAULT 1,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE api_strategy_key (
                    key TEXT PRIMARY KEY NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE api_device_group (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    guid TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    note TEXT NOT NULL DEFAULT '',
                    strategy_id INTEGER REFERENCES api_strategy(id) ON DELETE SET NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE api_user_strategy (
                    user_id INTEGER PRIMARY KEY REFERENCES api_user(id) ON DELETE CASCADE,
                    strategy_id INTEGER NOT NULL REFERENCES api_strategy(id) ON DELETE CASCADE
                );
                CREATE TABLE api_device (
                    id TEXT PRIMARY KEY NOT NULL,
                    guid TEXT NOT NULL UNIQUE,
                    uuid TEXT NOT NULL DEFAULT '',
                    owner_id INTEGER REFERENCES api_user(id) ON DELETE SET NULL,
                    group_id INTEGER REFERENCES api_device_group(id) ON DELETE SET NULL,
                    strategy_id INTEGER REFERENCES api_strategy(id) ON DELETE SET NULL,
                    note TEXT NOT NULL DEFAULT '',
                    cpu TEXT NOT NULL DEFAULT '',
                    memory TEXT NOT NULL DEFAULT '',
                    os TEXT NOT NULL DEFAULT '',
                    hostname TEXT NOT NULL DEFAULT '',
                    username TEXT NOT NULL DEFAULT '',
                    version TEXT NOT NULL DEFAULT '',
                    sysinfo TEXT,
                    sysinfo_ver TEXT NOT NULL DEFAULT '',
                    sysinfo_at INTEGER,
                    last_heartbeat_at INTEGER,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX api_device_by_owner ON api_device(owner_id);
                CREATE INDEX api_device_by_group ON api_device(group_id);
                CREATE INDEX api_device_by_strategy ON api_device(strategy_id);
                CREATE INDEX api_device_group_by_strategy ON api_device_group(strategy_id);
                CREATE INDEX api_user_strategy_by_strategy ON api_user_strategy(strategy_id);
                CREATE INDEX IF NOT EXISTS api_user_by_group ON api_user(group_id);
                """)
    }
}
