import GRDB

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What exists from the start, as in RustDesk Server Pro (issue 13): a user group and a strategy
/// named `Default` (the strategy sets no options). New users without a group join `Default`
/// (`SQLiteAPIStore.insertUser`). Users who existed before this migration keep their group, or none.
extension APIMigrations {
    static let defaultName = "Default"

    static func defaults(_ db: Database) throws {
        let now = Int64(Date().timeIntervalSince1970)
        try db.execute(
            sql: """
                INSERT INTO api_user_group (guid, name, created_at)
                SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM api_user_group WHERE name = ?)
                """,
            arguments: [UUID().uuidString.lowercased(), defaultName, now, defaultName])
        try db.execute(
            sql: """
                INSERT INTO api_strategy (guid, name, modified_at, created_at)
                SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM api_strategy WHERE name = ?)
                """,
            arguments: [UUID().uuidString.lowercased(), defaultName, now, now, defaultName])
    }
}
