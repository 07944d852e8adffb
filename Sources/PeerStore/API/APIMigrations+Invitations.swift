import GRDB

/// users.py `invite` and `enable-2fa-enforce` (admin-api.md §2). An invitation is a one-time token
/// whose SHA-256 is stored (like sessions and API tokens), so a leaked database cannot accept it; it
/// goes with its user. `totp_required` makes a login without an enrolled TOTP stop before the session,
/// `totp_setup_url` is the address the refusal names (the `url` users.py sent; '' = none).
extension APIMigrations {
    static func invitations(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE api_invitation (
                    token_digest BLOB PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES api_user(id) ON DELETE CASCADE,
                    created_by TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX api_invitation_user ON api_invitation(user_id);
                ALTER TABLE api_user ADD COLUMN totp_required INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE api_user ADD COLUMN totp_setup_url TEXT NOT NULL DEFAULT '';
                """)
    }
}
