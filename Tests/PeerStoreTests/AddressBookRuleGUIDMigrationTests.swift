import Foundation
import GRDB
import TestSupport
import Testing

@testable import PeerStore

/// `v2-api-address-book-rule-guids`: share rules made before it get their own guid, each a distinct
/// lowercase version-4 UUID text like the ones the store makes for new rules.
@Suite struct AddressBookRuleGUIDMigrationTests {
    @Test func rulesThatExistedGetDistinctUUIDs() throws {
        let dir = try TemporaryDirectory()
        let queue = try DatabaseQueue(path: dir.file("db_v2.sqlite3"))
        try PeerMigrations.migrator.migrate(queue, upTo: "v2-api-device-status")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO api_user (guid, name, password_hash, created_at, updated_at) VALUES ('u', 'erin', 'x', 0, 0);
                    INSERT INTO api_address_book (guid, owner_id, personal, name, created_at, updated_at)
                        VALUES ('b', 1, 0, 'Team', 0, 0);
                    INSERT INTO api_address_book_rule (book_id, user_id, group_id, rule, created_at)
                        VALUES (1, 1, NULL, 1, 0), (1, NULL, NULL, 2, 0);
                    """)
        }
        try PeerMigrations.migrator.migrate(queue)
        let guids = try queue.read { db in try String.fetchAll(db, sql: "SELECT guid FROM api_address_book_rule") }
        #expect(guids.count == 2)
        #expect(Set(guids).count == 2)
        for guid in guids {
            #expect(UUID(uuidString: guid) != nil, "\(guid)")
            #expect(guid == guid.lowercased())
            #expect(Array(guid)[14] == "4")
            #expect("89ab".contains(Array(guid)[19]))
        }
        try queue.close()
    }
}
