import APICore
import GRDB

/// Reading and replacing the access rules of a user group or a device group (`api_access_rule`).
extension SQLiteAPIStore {
    enum RuleSubject: String {
        case userGroup = "user_group"
        case deviceGroup = "device_group"
    }

    private static let targetTables: [AccessRule.Kind: String] = [
        .userGroup: "api_user_group", .deviceGroup: "api_device_group", .user: "api_user",
    ]

    static func accessRules(of subject: RuleSubject, id: Int64, _ db: Database) throws -> AccessRules {
        var rules = AccessRules()
        for kind in AccessRule.Kind.allCases {
            guard let table = targetTables[kind] else { continue }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.direction, t.name FROM api_access_rule r JOIN \(table) t ON t.id = r.target_id
                    WHERE r.subject = ? AND r.subject_id = ? AND r.kind = ? ORDER BY t.name
                    """,
                arguments: [subject.rawValue, id, kind.rawValue])
            for row in rows {
                let rule = AccessRule(kind: kind, name: row["name"])
                if row["direction"] as String == "in" {
                    rules.incoming.append(rule)
                } else {
                    rules.outgoing.append(rule)
                }
            }
        }
        return rules
    }

    /// Replaces one direction's rules; `.notFound` (undoing the transaction) when a rule names nothing.
    static func replaceAccessRules(
        of subject: RuleSubject, id: Int64, direction: String, with rules: [AccessRule], _ db: Database
    ) throws {
        try db.execute(
            sql: "DELETE FROM api_access_rule WHERE subject = ? AND subject_id = ? AND direction = ?",
            arguments: [subject.rawValue, id, direction])
        for rule in rules {
            guard let table = targetTables[rule.kind],
                let target = try Int64.fetchOne(
                    db, sql: "SELECT id FROM \(table) WHERE name = ?", arguments: [rule.name])
            else { throw APIStoreError.notFound }
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO api_access_rule (subject, subject_id, direction, kind, target_id)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [subject.rawValue, id, direction, rule.kind.rawValue, target])
        }
    }
}
