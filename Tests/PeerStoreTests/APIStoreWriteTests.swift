import APICore
import GRDB
import TestSupport
import Testing

@testable import PeerStore

/// The API store's writes: an error the body throws reaches the caller as it is, and undoes only its body.
@Suite struct APIStoreWriteTests {
    @Test func refusalThrownInAWriteBodyReachesTheCallerAndUndoesTheBody() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLitePeerStore(location: DatabaseLocation(path: dir.file("db.sqlite3")))
        let api = store.apiStore
        await #expect(throws: APIStoreError.notFound) {
            try await api.write { db in
                try db.execute(sql: "INSERT INTO api_user_group (guid, name, created_at) VALUES ('g', 'undone', 0)")
                throw APIStoreError.notFound
            }
        }
        await #expect(throws: APIStoreError.notFound) {
            try await api.setPassword(userID: 999, hash: "x", now: 0)
        }
        let groups = try await api.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_user_group WHERE name = 'undone'")
        }
        #expect(groups == 0)
        await store.shutdown()
    }
}

/// What exists from the start (issue 13, as in Pro): a `Default` user group, which new users without
/// a group join, and a `Default` strategy with no options.
@Suite struct APIDefaultsTests {
    @Test func defaultGroupAndStrategyExistAndNewUsersJoinTheGroup() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLitePeerStore(location: DatabaseLocation(path: dir.file("db.sqlite3")))
        let api = store.apiStore
        let groups = try await api.read { db in try String.fetchAll(db, sql: "SELECT name FROM api_user_group") }
        let strategies = try await api.read { db in
            try String.fetchAll(db, sql: "SELECT name || ' ' || options || ' ' || enabled FROM api_strategy")
        }
        #expect(groups == ["Default"])
        #expect(strategies == ["Default {} 1"])
        let user = try await api.insertUser(NewUser(name: "erin", passwordHash: "x"), now: 1)
        let groupID = try #require(user.groupID)
        #expect(try await api.userGroup(id: groupID)?.name == "Default")
        #expect(try await api.userGroup(id: groupID)?.guid.count == 36)
        await store.shutdown()
    }
}
