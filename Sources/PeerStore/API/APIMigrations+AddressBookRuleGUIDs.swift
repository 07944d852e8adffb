import GRDB

/// Share rules get their own guid (ab.py `view-rule`, `update-rule`, `delete-rule` address a rule by
/// it). Rules that exist already get a random version-4 UUID text, like the ones `newGUID()` makes.
extension APIMigrations {
    static func addressBookRuleGUIDs(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE api_address_book_rule ADD COLUMN guid TEXT NOT NULL DEFAULT '';
                UPDATE api_address_book_rule SET guid =
                    lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
                    substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) ||
                    substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
                CREATE UNIQUE INDEX api_address_book_rule_guid ON api_address_book_rule(guid);
                """)
    }
}
