import APICore
import Foundation
import TestSupport
import Testing

/// ab.py's book commands over real HTTP with an API token (admin-api.md §2): `view-ab` (GET, exact
/// and LIKE names, paging), `add-ab`, `update-ab` (name, note, password, owner by name), `delete-ab`,
/// and `get-personal-ab`, which a token cannot have. Each change is a console audit record (typ 3).
@Suite struct AddressBookAdminRouteTests {
    typealias Tool = APITokenTests

    @Test func booksAreCreatedListedChangedAndDeletedByToken() async throws {
        let server = try await APITestServer()
        try await server.bookUser("erin")
        let client = try await server.client()
        let token = try await Tool.mint("books", "address_book:rw,audit:r", server)
        let empty = try await client.call("GET", "/api/ab/shared/profiles?pageSize=30&current=1", token: token)
        #expect(client.pageShape(empty) == RustDeskAPIClient.PageShape(total: 0, count: 0))

        // ab.py sends `"note": null` when --note is not given.
        let team = #"{"name":"Team","note":"the team","info":{"password":"shared-pw"}}"#
        #expect(try await client.call("POST", "/api/ab/shared/add", token: token, json: team).status == 200)
        let ops = #"{"name":"Ops","note":null}"#
        let added = try await client.call("POST", "/api/ab/shared/add", token: token, json: ops)
        #expect(added.status == 200)
        #expect(added.body.isEmpty)
        let again = try await client.call("POST", "/api/ab/shared/add", token: token, json: #"{"name":"ops"}"#)
        #expect(again.status == 400)
        #expect(again.error == "An address book with this name already exists")

        let listed = try await client.call("GET", "/api/ab/shared/profiles?pageSize=30&current=1", token: token)
        #expect(client.items(listed).map { $0["name"] as? String } == ["Ops", "Team"])
        let teamBook = try #require(try await client.sharedBook(named: "Team", token))
        // A token's books belong to the first administrator; an administrator has full control.
        #expect(teamBook["owner"] as? String == "admin")
        #expect(teamBook["rule"] as? Int == 3)
        #expect(teamBook["note"] as? String == "the team")
        #expect((teamBook["info"] as? [String: String])?["password"] == "shared-pw")
        #expect((teamBook["guid"] as? String)?.count == 36)
        let like = try await client.call("GET", "/api/ab/shared/profiles?name=%25EA%25", token: token)
        #expect(client.items(like).map { $0["name"] as? String } == ["Team"])
        let paged = try await client.call("GET", "/api/ab/shared/profiles?pageSize=1&current=2", token: token)
        #expect(client.pageShape(paged) == RustDeskAPIClient.PageShape(total: 2, count: 1))

        let opsGUID = try #require(try await client.sharedBook(named: "Ops", token)?["guid"] as? String)
        let update = #"{"guid":"\#(opsGUID)","name":"Ops Team","note":"n2","owner":"erin","info":{"password":"p2"}}"#
        #expect(try await client.call("PUT", "/api/ab/shared/update/profile", token: token, json: update).status == 200)
        let changed = try #require(try await client.sharedBook(named: "Ops Team", token))
        #expect(changed["guid"] as? String == opsGUID)
        #expect(changed["owner"] as? String == "erin")
        #expect(changed["note"] as? String == "n2")
        #expect((changed["info"] as? [String: String])?["password"] == "p2")
        let noteOnly = #"{"guid":"\#(opsGUID)","note":"n3"}"#
        #expect(
            try await client.call("PUT", "/api/ab/shared/update/profile", token: token, json: noteOnly).status == 200)
        #expect(try await client.sharedBook(named: "Ops Team", token)?["owner"] as? String == "erin")

        for (body, status, error) in [
            (#"{"guid":"\#(opsGUID)","name":"team"}"#, 400, "An address book with this name already exists"),
            (#"{"guid":"\#(opsGUID)","owner":"nobody"}"#, 400, "No such user: nobody"),
            (#"{"guid":"\#(opsGUID)","name":"My address book"}"#, 400, "This book name is reserved"),
            (#"{"guid":"00000000-0000-4000-8000-000000000000","note":"x"}"#, 404, "Address book not found"),
            (#"{"note":"x"}"#, 400, "guid required"),
        ] {
            let refused = try await client.call("PUT", "/api/ab/shared/update/profile", token: token, json: body)
            #expect(refused.status == status)
            #expect(refused.error == error)
        }

        // Every guid must name a shared book, or nothing goes.
        let unknown = #"["\#(opsGUID)","00000000-0000-4000-8000-000000000000"]"#
        #expect(try await client.call("DELETE", "/api/ab/shared", token: token, json: unknown).status == 404)
        #expect(try await client.sharedBook(named: "Ops Team", token) != nil)
        #expect(
            try await client.call("DELETE", "/api/ab/shared", token: token, json: #"["\#(opsGUID)"]"#).status == 200)
        #expect(try await client.sharedBook(named: "Ops Team", token) == nil)

        // add Team, add Ops, rename Ops, update Ops (note), delete Ops: newest first.
        #expect(try await client.addressBookAuditCodes(token) == [16, 110, 17, 15, 15])
        await client.close()
        await server.stop()
    }

    @Test func aTokenHasNoPersonalBookButAnAdministratorsSessionHasItsOwn() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Tool.mint("books", "address_book:r", server)
        for method in ["GET", "POST"] {
            let refused = try await client.call(method, "/api/ab/personal", token: token)
            #expect(refused.status == 403)
            #expect(refused.error == "This route needs a user's login, not an API token")
        }
        let session = try await client.token("admin", APITestServer.adminPassword)
        let viaGet = try await client.call("GET", "/api/ab/personal", token: session)
        #expect(viaGet.status == 200)
        #expect(viaGet.object?["guid"] as? String == (try await client.personalGUID(session)))
        await client.close()
        await server.stop()
    }
}
