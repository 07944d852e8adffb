import GRDB

/// User groups' access rules (issue 13, user-groups.py): `direction` `in` (who may reach the
/// members' devices) or `out` (what the members may reach); `kind` 0 user group, 1 device group,
/// 2 user, `target_id` that row's id. Rules of a deleted target are deleted with it (triggers).
extension APIMigrations {
    static func accessRules(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE api_user_group_rule (
                    group_id INTEGER NOT NULL REFERENCES api_user_group(id) ON DELETE CASCADE,
                    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
                    kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),
                    target_id INTEGER NOT NULL,
                    PRIMARY KEY (group_id, direction, kind, target_id)
                ) WITHOUT ROWID;
                CREATE INDEX api_user_group_rule_target ON api_user_group_rule(kind, target_id);
                CREATE TRIGGER api_user_group_rule_user_group AFTER DELETE ON api_user_group BEGIN
                    DELETE FROM api_user_group_rule WHERE kind = 0 AND target_id = OLD.id;
                END;
                CREATE TRIGGER api_user_group_rule_device_group AFTER DELETE ON api_device_group BEGIN
                    DELETE FROM api_user_group_rule WHERE kind = 1 AND target_id = OLD.id;
                END;
                CREATE TRIGGER api_user_group_rule_user AFTER DELETE ON api_user BEGIN
                    DELETE FROM api_user_group_rule WHERE kind = 2 AND target_id = OLD.id;
                END;
                """)
    }
}
