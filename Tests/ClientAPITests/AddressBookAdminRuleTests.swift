import APICore
import Foundation
import TestSupport
import Testing

/// ab.py's rule commands over real HTTP with an API token: `view-rule`, `add-rule` (a user or a group
/// by name, or everyone), `update-rule` and `delete-rule` by the rule's guid, and their effect on what
/// the client, logged in as the user, sees.
@Suite struct AddressBookAdminRuleTests {
    typealias Tool = APITokenTests

    @Test func rulesAreAddedByNameAndChangedAndDeletedByGuid() async throws {
        let server = try await APITestServer()
        let admin = try await server.adminUser()
        try await server.bookUser("erin", group: "support")
        let book = try await server.books.createSharedBook(ownerID: admin.id, name: "Team")
        let client = try await server.client()
        let token = try await Tool.mint("books", "address_book:rw,audit:r", server)
        let erin = try await client.token("erin", "pw-erin")
        let profiles = "/api/ab/shared/profiles?current=1&pageSize=100"
        #expect(client.pageShape(try await client.call("POST", profiles, token: erin))?.total == 0)

        for body in [
            #"{"guid":"\#(book.guid)","rule":2,"user":"erin"}"#,
            #"{"guid":"\#(book.guid)","rule":1,"group":"support"}"#,
            #"{"guid":"\#(book.guid)","rule":1}"#,
        ] {
            #expect(try await client.call("POST", "/api/ab/rule", token: token, json: body).status == 200)
        }
        let listed = try await client.call("GET", "/api/ab/rules?ab=\(book.guid)&pageSize=30&current=1", token: token)
        let rules = client.items(listed)
        #expect(client.pageShape(listed)?.total == 3)
        #expect(rules.map { $0["rule"] as? Int } == [2, 1, 1])
        #expect(rules.map { $0["user"] as? String } == ["erin", nil, nil])
        #expect(rules.map { $0["group"] as? String } == [nil, "support", nil])
        let guids = rules.compactMap { $0["guid"] as? String }
        #expect(guids.count == 3 && Set(guids).count == 3 && guids.allSatisfy { $0.count == 36 })
        let seen = try await client.call("POST", profiles, token: erin)
        #expect(client.items(seen).first?["rule"] as? Int == 2)

        for (body, status, error) in [
            (
                #"{"guid":"\#(book.guid)","rule":3,"user":"erin"}"#, 400,
                "The address book already has a rule for this user, group or everyone"
            ),
            (#"{"guid":"\#(book.guid)","rule":1,"user":"nobody"}"#, 400, "No such user"),
            (#"{"guid":"\#(book.guid)","rule":1,"group":"nobody"}"#, 400, "No such user group"),
            (
                #"{"guid":"\#(book.guid)","rule":1,"user":"erin","group":"support"}"#, 400,
                "A rule names a user or a group, not both"
            ),
            (#"{"guid":"\#(book.guid)","rule":1,"user":""}"#, 400, "user or group must not be empty"),
            (
                #"{"guid":"\#(book.guid)","rule":4,"user":"erin"}"#, 400,
                "rule must be 1 (read), 2 (read/write) or 3 (full control)"
            ),
            (#"{"guid":"00000000-0000-4000-8000-000000000000","rule":1}"#, 404, "Address book not found"),
        ] {
            let refused = try await client.call("POST", "/api/ab/rule", token: token, json: body)
            #expect(refused.status == status)
            #expect(refused.error == error)
        }

        let erinsRule = guids[0]
        let full = #"{"guid":"\#(erinsRule)","rule":3}"#
        #expect(try await client.call("PATCH", "/api/ab/rule", token: token, json: full).status == 200)
        #expect(client.items(try await client.call("POST", profiles, token: erin)).first?["rule"] as? Int == 3)
        let unknown = #"{"guid":"00000000-0000-4000-8000-000000000000","rule":1}"#
        #expect(try await client.call("PATCH", "/api/ab/rule", token: token, json: unknown).status == 404)

        // All three rules gone: erin no longer sees the book. An unknown guid deletes nothing.
        let withUnknown = #"["\#(guids[0])","00000000-0000-4000-8000-000000000000"]"#
        #expect(try await client.call("DELETE", "/api/ab/rules", token: token, json: withUnknown).status == 404)
        #expect(client.pageShape(try await client.call("POST", profiles, token: erin))?.total == 1)
        let all = "[" + guids.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        #expect(try await client.call("DELETE", "/api/ab/rules", token: token, json: all).status == 200)
        #expect(client.pageShape(try await client.call("POST", profiles, token: erin))?.total == 0)
        let after = try await client.call("GET", "/api/ab/rules?ab=\(book.guid)", token: token)
        #expect(client.pageShape(after) == RustDeskAPIClient.PageShape(total: 0, count: 0))

        // 3 adds, 1 update, 3 deletes: newest first.
        #expect(try await client.addressBookAuditCodes(token) == [21, 21, 21, 22, 20, 20, 20])
        await client.close()
        await server.stop()
    }

    @Test func aRuleChangedThroughTheServiceKeepsItsGuid() async throws {
        let server = try await APITestServer()
        let admin = try await server.adminUser()
        let bob = try await server.bookUser("bob")
        let book = try await server.books.createSharedBook(ownerID: admin.id, name: "Team")
        try await server.books.setRule(bookGUID: book.guid, target: .user(bob.id), rule: .read)
        let client = try await server.client()
        let token = try await Tool.mint("books", "address_book:r", server)
        let before = client.items(try await client.call("GET", "/api/ab/rules?ab=\(book.guid)", token: token))
        try await server.books.setRule(bookGUID: book.guid, target: .user(bob.id), rule: .fullControl)
        let after = client.items(try await client.call("GET", "/api/ab/rules?ab=\(book.guid)", token: token))
        #expect(after.map { $0["rule"] as? Int } == [3])
        #expect(after.first?["guid"] as? String == before.first?["guid"] as? String)
        #expect((after.first?["guid"] as? String)?.isEmpty == false)
        await client.close()
        await server.stop()
    }
}
