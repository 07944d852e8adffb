import APICore
import Foundation
import TestSupport
import Testing

/// Who may use ab.py's routes: no token is 401; a token without `address_book` is 403 on every one; a
/// read token reads and changes nothing; a user's session keeps the client's view (only what its
/// rules show) and is refused the management routes; an administrator's session acts on every
/// shared book, from the client too.
@Suite struct AddressBookAdminPermissionTests {
    typealias Tool = APITokenTests

    /// Every ab.py request on `book`, with whether it only reads.
    static func requests(_ book: String) -> [(method: String, path: String, body: String?, reads: Bool)] {
        let rule = "00000000-0000-4000-8000-000000000000"
        return [
            ("GET", "/api/ab/shared/profiles?pageSize=30&current=1", nil, true),
            ("GET", "/api/ab/peers?ab=\(book)", nil, true),
            ("GET", "/api/ab/tags/\(book)", nil, true),
            ("GET", "/api/ab/rules?ab=\(book)", nil, true),
            ("POST", "/api/ab/shared/add", #"{"name":"New"}"#, false),
            ("PUT", "/api/ab/shared/update/profile", #"{"guid":"\#(book)","note":"x"}"#, false),
            ("DELETE", "/api/ab/shared", #"["\#(book)"]"#, false),
            ("POST", "/api/ab/peer/add/\(book)", #"{"id":"1"}"#, false),
            ("PUT", "/api/ab/peer/update/\(book)", #"{"id":"1","alias":"a"}"#, false),
            ("DELETE", "/api/ab/peer/\(book)", #"["1"]"#, false),
            ("POST", "/api/ab/tag/add/\(book)", #"{"name":"t","color":1}"#, false),
            ("PUT", "/api/ab/tag/update/\(book)", #"{"name":"t","color":2}"#, false),
            ("DELETE", "/api/ab/tag/\(book)", #"["t"]"#, false),
            ("POST", "/api/ab/rule", #"{"guid":"\#(book)","rule":1}"#, false),
            ("PATCH", "/api/ab/rule", #"{"guid":"\#(rule)","rule":2}"#, false),
            ("DELETE", "/api/ab/rules", #"["\#(rule)"]"#, false),
        ]
    }

    @Test func tokensNeedTheAddressBookAreaAndReadWriteToChange() async throws {
        let server = try await APITestServer()
        let admin = try await server.adminUser()
        let book = try await server.books.createSharedBook(ownerID: admin.id, name: "Team")
        let client = try await server.client()
        let otherArea = try await Tool.mint("users", "user:rw,user_group:rw", server)
        let reader = try await Tool.mint("reader", "address_book:r", server)
        for request in Self.requests(book.guid) {
            let anonymous = try await client.call(request.method, request.path, json: request.body)
            #expect(anonymous.status == 401, "\(request.method) \(request.path)")
            let wrongArea = try await client.call(request.method, request.path, token: otherArea, json: request.body)
            #expect(wrongArea.status == 403, "\(request.method) \(request.path)")
            let needed = request.reads ? "read" : "read-write"
            #expect(wrongArea.error == "Token lacks \(needed) permission on address_book")
            let read = try await client.call(request.method, request.path, token: reader, json: request.body)
            if request.reads {
                #expect(read.status == 200, "\(request.method) \(request.path)")
            } else {
                #expect(read.status == 403, "\(request.method) \(request.path)")
                #expect(read.error == "Token lacks read-write permission on address_book")
            }
        }
        // Nothing changed, nothing recorded.
        #expect(try await client.sharedBook(named: "Team", reader)?["note"] as? String == "")
        let auditor = try await Tool.mint("auditor", "audit:r", server)
        #expect(try await client.addressBookAuditCodes(auditor).isEmpty)
        await client.close()
        await server.stop()
    }

    @Test func aUsersSessionKeepsTheClientsViewAndCannotManage() async throws {
        let server = try await APITestServer()
        let admin = try await server.adminUser()
        let bob = try await server.bookUser("bob")
        let hidden = try await server.books.createSharedBook(ownerID: admin.id, name: "Hidden")
        let shared = try await server.books.createSharedBook(ownerID: admin.id, name: "Shared")
        try await server.books.setRule(bookGUID: shared.guid, target: .user(bob.id), rule: .read)
        let client = try await server.client()
        let session = try await client.token("bob", "pw-bob")
        for method in ["GET", "POST"] {
            let own = try await client.call(method, "/api/ab/shared/profiles?name=Hidden", token: session)
            #expect(client.items(own).map { $0["name"] as? String } == ["Shared"])
            #expect(client.items(own).first?["rule"] as? Int == 1)
            #expect(try await client.call(method, "/api/ab/peers?ab=\(hidden.guid)", token: session).status == 403)
        }
        let write = try await client.call(
            "POST", "/api/ab/peer/add/\(shared.guid)", token: session, json: #"{"id":"1"}"#)
        #expect(write.status == 403)
        #expect(write.error == "No write permission for this address book")
        // Book and rule management: everything but the client's peer, tag and profile routes.
        let management = Self.requests(hidden.guid).filter { request in
            !["/peer", "/tag", "/profiles"].contains { request.path.contains($0) }
        }
        #expect(management.count == 7)
        for request in management {
            let refused = try await client.call(request.method, request.path, token: session, json: request.body)
            #expect(refused.status == 403, "\(request.method) \(request.path)")
            #expect(refused.error == "Admin required!")
        }
        await client.close()
        await server.stop()
    }

    @Test func anAdministratorsSessionManagesEverySharedBookAndIsAudited() async throws {
        let server = try await APITestServer()
        let erin = try await server.bookUser("erin")
        let book = try await server.books.createSharedBook(ownerID: erin.id, name: "Erin's")
        let client = try await server.client()
        let session = try await client.token("admin", APITestServer.adminPassword)
        // The client's POST keeps the client's view: books shared with the administrator (none here).
        let asClient = try await client.call("POST", "/api/ab/shared/profiles?current=1&pageSize=100", token: session)
        #expect(client.items(asClient).isEmpty)
        let listed = try await client.call("GET", "/api/ab/shared/profiles?current=1&pageSize=100", token: session)
        #expect(client.items(listed).map { $0["name"] as? String } == ["Erin's"])
        #expect(client.items(listed).first?["rule"] as? Int == 3)
        let add = try await client.call("POST", "/api/ab/peer/add/\(book.guid)", token: session, json: #"{"id":"7"}"#)
        #expect(add.status == 200)
        let peers = try await client.call("GET", "/api/ab/peers?ab=\(book.guid)", token: session)
        #expect(client.peerObjects(peers).map { $0["id"] as? String } == ["7"])
        // The administrator's own personal book is theirs, not administration.
        let personal = try await client.personalGUID(session)
        #expect(
            try await client.call("POST", "/api/ab/peer/add/\(personal)", token: session, json: #"{"id":"8"}"#).status
                == 200)
        let rule = #"{"guid":"\#(book.guid)","rule":1}"#
        #expect(try await client.call("POST", "/api/ab/rule", token: session, json: rule).status == 200)
        let auditor = try await Tool.mint("auditor", "audit:r", server)
        let records = client.items(try await client.call("GET", "/api/audits/console?pageSize=10", token: auditor))
            .filter { $0["typ"] as? Int == 3 }
        #expect(records.map { $0["iop"] as? Int } == [20, 111])
        #expect(records.allSatisfy { $0["operator"] as? String == "admin" && $0["operator_kind"] as? String == "user" })
        await client.close()
        await server.stop()
    }
}
