import GRDB

/// The address-book tables (http-api.md §3, §4). Books belong to a user and go with them; rules name a
/// user, a user group, or (both null) everyone, and go with what they name; peers and tags go with
/// their book. A peer's tags are a JSON array of strings (small, read whole with the peer); tag colours
/// are unsigned 32-bit ARGB and fit an INTEGER as they are.
extension APIMigrations {
    static func addressBooks(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE api_address_book (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    guid TEXT NOT NULL UNIQUE,
                    owner_id INTEGER NOT NULL REFERENCES api_user(id) ON DELETE CASCADE,
                    personal INTEGER NOT NULL,
                    name TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
                    note TEXT NOT NULL DEFAULT '',
                    password TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX api_address_book_owner ON api_address_book(owner_id);
                CREATE UNIQUE INDEX api_address_book_personal ON api_address_book(owner_id) WHERE personal = 1;
                CREATE UNIQUE INDEX api_address_book_shared_name ON api_address_book(name) WHERE personal = 0;
                CREATE TABLE api_address_book_rule (
                    book_id INTEGER NOT NULL REFERENCES api_address_book(id) ON DELETE CASCADE,
                    user_id INTEGER REFERENCES api_user(id) ON DELETE CASCADE,
                    group_id INTEGER REFERENCES api_user_group(id) ON DELETE CASCADE,
                    rule INTEGER NOT NULL CHECK (rule BETWEEN 1 AND 3),
                    created_at INTEGER NOT NULL,
                    CHECK (user_id IS NULL OR group_id IS NULL)
                );
                CREATE UNIQUE INDEX api_address_book_rule_target
                    ON api_address_book_rule(book_id, ifnull(user_id, 0), ifnull(group_id, 0));
                CREATE INDEX api_address_book_rule_user ON api_address_book_rule(user_id);
                CREATE INDEX api_address_book_rule_group ON api_address_book_rule(group_id);
                CREATE TABLE api_address_book_peer (
                    book_id INTEGER NOT NULL REFERENCES api_address_book(id) ON DELETE CASCADE,
                    peer_id TEXT NOT NULL,
                    hash TEXT NOT NULL DEFAULT '',
                    password TEXT NOT NULL DEFAULT '',
                    username TEXT NOT NULL DEFAULT '',
                    hostname TEXT NOT NULL DEFAULT '',
                    platform TEXT NOT NULL DEFAULT '',
                    alias TEXT NOT NULL DEFAULT '',
                    note TEXT NOT NULL DEFAULT '',
                    tags TEXT NOT NULL DEFAULT '[]',
                    force_always_relay INTEGER NOT NULL DEFAULT 0,
                    rdp_port TEXT NOT NULL DEFAULT '',
                    rdp_username TEXT NOT NULL DEFAULT '',
                    login_name TEXT NOT NULL DEFAULT '',
                    device_group_name TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (book_id, peer_id)
                ) WITHOUT ROWID;
                CREATE TABLE api_address_book_tag (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    book_id INTEGER NOT NULL REFERENCES api_address_book(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    color INTEGER NOT NULL CHECK (color BETWEEN 0 AND 4294967295),
                    created_at INTEGER NOT NULL,
                    UNIQUE (book_id, name)
                );
                """)
    }
}
