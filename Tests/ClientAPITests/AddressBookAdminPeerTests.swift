import APICore
import Foundation
import TestSupport
import Testing

/// ab.py's peer and tag commands over real HTTP with an API token: the client's change routes, and
/// its list routes with GET, reach every shared book (with `id` and `alias` LIKE filters on peers)
/// but no personal book. An administrator's changes to a shared book are console audit records.
@Suite struct AddressBookAdminPeerTests {
    typealias Tool = APITokenTests

    @Test func aTokenManagesPeersAndTagsOfAnySharedBook() async throws {
        let server = try await APITestServer()
        let erin = try await server.bookUser("erin")
        // Erin's book, no rule naming anyone: only an administrator reaches it.
        let book = try await server.books.createSharedBook(ownerID: erin.id, name: "Erin's")
        let client = try await server.client()
        let token = try await Tool.mint("books", "address_book:rw,audit:r", server)
        let add = "/api/ab/peer/add/\(book.guid)"
        let desk = #"{"id":"123456789","note":null,"alias":"front desk","tags":["ops"],"password":"pw"}"#
        #expect(try await client.call("POST", add, token: token, json: desk).status == 200)
        #expect(
            try await client.call("POST", add, token: token, json: #"{"id":"987654321","alias":"kiosk"}"#).body == "")
        #expect(try await client.call("POST", add, token: token, json: #"{"id":"555","alias":"x_y"}"#).status == 200)

        let all = try await client.call("GET", "/api/ab/peers?ab=\(book.guid)&pageSize=30&current=1", token: token)
        #expect(client.peerObjects(all).map { $0["id"] as? String } == ["123456789", "555", "987654321"])
        #expect(client.peerObjects(all).first?["password"] as? String == "pw")
        let byID = try await client.call("GET", "/api/ab/peers?ab=\(book.guid)&id=%252345%25", token: token)
        #expect(client.peerObjects(byID).map { $0["id"] as? String } == ["123456789"])
        // `+` is a space in the form encoding ab.py sends; `_` matches only itself.
        let byAlias = try await client.call("GET", "/api/ab/peers?ab=\(book.guid)&alias=%25front+d%25", token: token)
        #expect(client.peerObjects(byAlias).map { $0["id"] as? String } == ["123456789"])
        let underscore = try await client.call("GET", "/api/ab/peers?ab=\(book.guid)&alias=%25_%25", token: token)
        #expect(client.peerObjects(underscore).map { $0["id"] as? String } == ["555"])
        let page = try await client.call("GET", "/api/ab/peers?ab=\(book.guid)&pageSize=2&current=2", token: token)
        #expect(client.pageShape(page) == RustDeskAPIClient.PageShape(total: 3, count: 1))

        let update = #"{"id":"987654321","alias":"kiosk 2","tags":[],"note":"n"}"#
        #expect(
            try await client.call("PUT", "/api/ab/peer/update/\(book.guid)", token: token, json: update).status == 200)
        let kiosk = try await client.call("GET", "/api/ab/peers?ab=\(book.guid)&alias=kiosk+2", token: token)
        #expect(client.peerObjects(kiosk).first?["note"] as? String == "n")
        let gone = #"["987654321"]"#
        #expect(try await client.call("DELETE", "/api/ab/peer/\(book.guid)", token: token, json: gone).status == 200)

        let tags = "/api/ab/tags/\(book.guid)"
        #expect(
            try await client.call(
                "POST", "/api/ab/tag/add/\(book.guid)", token: token, json: #"{"name":"ops","color":4294901760}"#
            )
            .status == 200)
        #expect(
            try await client.call(
                "POST", "/api/ab/tag/add/\(book.guid)", token: token, json: #"{"name":"red","color":1}"#
            )
            .status == 200)
        #expect(
            try await client.call(
                "PUT", "/api/ab/tag/update/\(book.guid)", token: token, json: #"{"name":"ops","color":255}"#
            )
            .status == 200)
        let noColour = try await client.call(
            "PUT", "/api/ab/tag/update/\(book.guid)", token: token, json: #"{"name":"ops","color":null}"#)
        #expect(noColour.status == 400)
        #expect(
            try await client.call("DELETE", "/api/ab/tag/\(book.guid)", token: token, json: #"["red"]"#).status == 200)
        for method in ["GET", "POST"] {
            let listed = try await client.call(method, tags, token: token)
            #expect(client.tagPairs(listed) == [.init(name: "ops", color: 255)])
        }

        // Peers 3 added, 1 updated, 1 deleted; tags 2 added, 1 recoloured, 1 deleted: newest first.
        #expect(try await client.addressBookAuditCodes(token) == [116, 115, 114, 114, 113, 112, 111, 111, 111])
        await client.close()
        await server.stop()
    }

    @Test func personalBooksStayPrivateToTokens() async throws {
        let server = try await APITestServer()
        try await server.bookUser("bob")
        let client = try await server.client()
        let bobs = try await client.personalGUID(try await client.token("bob", "pw-bob"))
        let token = try await Tool.mint("books", "address_book:rw", server)
        for (method, path, body) in [
            ("GET", "/api/ab/peers?ab=\(bobs)", nil),
            ("GET", "/api/ab/tags/\(bobs)", nil),
            ("POST", "/api/ab/peer/add/\(bobs)", #"{"id":"1"}"#),
            ("DELETE", "/api/ab/tag/\(bobs)", #"["a"]"#),
        ] {
            let refused = try await client.call(method, path, token: token, json: body)
            #expect(refused.status == 403)
            #expect(refused.error == "Permission denied")
        }
        let rules = try await client.call("GET", "/api/ab/rules?ab=\(bobs)", token: token)
        #expect(rules.status == 400)
        #expect(rules.error == "Personal address books cannot be shared")
        await client.close()
        await server.stop()
    }
}
