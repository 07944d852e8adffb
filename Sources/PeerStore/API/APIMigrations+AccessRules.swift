import GRDB

/// Access rules of user groups and device groups (issue 13; user-groups.py, device-groups.py):
/// `subject` is the group the rule belongs to, `direction` `in` (who may reach its devices) or `out`
/// (what its members may reach), `kind` the target's (0 user group, 1 device group, 2 user) and
/// `target_id` that row's id. Triggers drop a group's rules with the group, and any rule whose target
/// is deleted.
extension APIMigrations {
    static func accessRules(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE api_access_rule (
                    subject TEXT NOT NULL CHECK (subject IN ('user_group', 'device_group')),
                    subject_id INTEGER NOT NULL,
                    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
                    kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),
                    target_id INTEGER NOT NULL,
                    PRIMARY KEY (subject, subject_id, direction, kind, target_id)
                ) WITHOUT ROWID;
                CREATE INDEX api_access_rule_target ON api_access_rule(kind, target_id);
                CREATE TRIGGER api_access_rule_user_group AFTER DELETE ON api_user_group BEGIN
                    DELETE FROM api_access_rule WHERE subject = 'user_group' AND subject_id = OLD.id;
                    DELETE FROM api_access_rule WHERE kind = 0 AND target_id = OLD.id;
                END;
                CREATE TRIGGER api_access_rule_device_group AFTER DELETE ON api_device_group BEGIN
                    DELETE FROM api_access_rule WHERE subject = 'device_group' AND subject_id = OLD.id;
                    DELETE FROM api_access_rule WHERE kind = 1 AND target_id = OLD.id;
                END;
                CREATE TRIGGER api_access_rule_user AFTER DELETE ON api_user BEGIN
                    DELETE FROM api_access_rule WHERE kind = 2 AND target_id = OLD.id;
                END;
                """)
    }
}
