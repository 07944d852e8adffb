import GRDB

/// What administrators set on a device (devices.py `disable`, `assign`): `disabled` keeps it from being
/// reached through hbbs; the overrides are names an administrator gave it (`device_name`,
/// `device_username`), which later sysinfo uploads must not replace (NULL = use what it reports).
extension APIMigrations {
    static func deviceStatus(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE api_device ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE api_device ADD COLUMN hostname_override TEXT;
                ALTER TABLE api_device ADD COLUMN username_override TEXT;
                """)
    }
}
