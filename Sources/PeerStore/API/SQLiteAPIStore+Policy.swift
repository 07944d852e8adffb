import APICore
import GRDB

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension SQLiteAPIStore: PolicyStore {
    /// One read transaction, so users, sessions and rules are one consistent state.
    public func accessFacts(now: Int64) async throws(APIStoreError) -> AccessFacts {
        try await read { db in
            var facts = AccessFacts()
            for row in try Row.fetchAll(db, sql: "SELECT id, name, group_id, is_admin, status FROM api_user") {
                facts.users[row["id"]] = AccessFacts.UserFacts(
                    name: row["name"], groupID: row["group_id"], isAdmin: row["is_admin"],
                    disabled: (row["status"] as Int) == UserStatus.disabled.rawValue)
            }
            let sessions = try Row.fetchAll(
                db, sql: "SELECT token_digest, user_id, expires_at FROM api_session WHERE expires_at > ?",
                arguments: [now])
            for row in sessions {
                let digest: Data = row["token_digest"]
                facts.sessions[Array(digest)] = AccessFacts.SessionFacts(
                    userID: row["user_id"], expiresAt: row["expires_at"])
            }
            let rules = try Row.fetchAll(
                db, sql: "SELECT subject, subject_id, direction, kind, target_id FROM api_access_rule")
            for row in rules {
                guard let kind = AccessRule.Kind(rawValue: row["kind"]) else { continue }
                let subjectID: Int64 = row["subject_id"]
                let subject: AccessFacts.Rule.Subject =
                    (row["subject"] as String) == RuleSubject.userGroup.rawValue
                    ? .userGroup(subjectID) : .deviceGroup(subjectID)
                let direction: AccessFacts.Rule.Direction = (row["direction"] as String) == "in" ? .incoming : .outgoing
                facts.rules.insert(
                    AccessFacts.Rule(subject: subject, direction: direction, kind: kind, targetID: row["target_id"]))
            }
            return facts
        }
    }
}
