import APICore
import Foundation
import Testing

/// http-api.md §4 through real HTTP against hbbs, sent as the RustDesk client sends it: the personal
/// book, peers and tags with their exact shapes, and sharing by rules.
@Suite struct AddressBookRouteTests {
    /// The issue's flow: log in, load the personal book, add a peer and a tag, read them back.
    @Test func personalBookFlow() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        let guid = try await client.personalGUID(token)
        #expect(try await client.personalGUID(token) == guid)
        let settings = try await client.call("POST", "/api/ab/settings", token: token)
        #expect(settings.body == #"{"max_peer_one_ab":0}"#)

        let add = try await client.call(
            "POST", "/api/ab/peer/add/\(guid)", token: token,
            json: #"{"id":"\#(device.id)","alias":"office","tags":["work"],"hash":"c2FsdGVk","password":"x"}"#)
        #expect(add.status == 200)
        #expect(add.body.isEmpty)
        let tag = try await client.call(
            "POST", "/api/ab/tag/add/\(guid)", token: token, json: #"{"name":"work","color":4294901760}"#)
        #expect(tag.status == 200)
        #expect(tag.body.isEmpty)

        let peers = try await client.bookPeers(token, guid)
        #expect(peers.status == 200)
        #expect(peers.contentType == "application/json; charset=utf-8")
        #expect(peers.object?["total"] as? Int == 1)
        let peer = try #require(client.peerObjects(peers).first)
        #expect(
            Set(peer.keys) == [
                "id", "hash", "username", "hostname", "platform", "alias", "tags", "note", "forceAlwaysRelay",
                "rdpPort", "rdpUsername", "loginName", "device_group_name", "same_server",
            ])
        #expect(peer["id"] as? String == device.id)
        #expect(peer["alias"] as? String == "office")
        #expect(peer["hash"] as? String == "c2FsdGVk")
        #expect(peer["tags"] as? [String] == ["work"])
        #expect(peer["forceAlwaysRelay"] as? String == "false")
        #expect(peers.body.contains(#""same_server":true"#))

        let tags = try await client.call("POST", "/api/ab/tags/\(guid)", token: token)
        #expect(tags.status == 200)
        #expect(client.tagPairs(tags) == [.init(name: "work", color: 4_294_901_760)])
        await client.close()
        await server.stop()
    }

    @Test func sharingWithReadThenReadWriteRules() async throws {
        let server = try await APITestServer()
        let admin = try await server.adminUser()
        let bob = try await server.bookUser("bob")
        try await server.bookUser("carol")
        let book = try await server.books.createSharedBook(
            ownerID: admin.id, name: "Team", note: "the team", password: "shared-pw")
        try await server.books.addPeer(
            AddressBookPeerPatch(id: "123456789", hash: "dropped", password: "device-pw", tags: ["ops"]),
            toBook: book.guid, for: .user(admin))
        try await server.books.addTag(
            AddressBookTag(name: "ops", color: 0xFF00_FF00), toBook: book.guid, for: .user(admin))
        try await server.books.setRule(bookGUID: book.guid, target: .user(bob.id), rule: .read)

        let client = try await server.client()
        let bobToken = try await client.token("bob", "pw-bob")
        let profiles = try await client.call("POST", "/api/ab/shared/profiles?current=1&pageSize=100", token: bobToken)
        #expect(profiles.status == 200)
        #expect(profiles.object?["total"] as? Int == 1)
        let profile = try #require((profiles.object?["data"] as? [any Sendable])?.first as? [String: any Sendable])
        #expect(profile["guid"] as? String == book.guid)
        #expect(profile["name"] as? String == "Team")
        #expect(profile["owner"] as? String == "admin")
        #expect(profile["note"] as? String == "the team")
        #expect(profile["rule"] as? Int == 1)
        #expect((profile["info"] as? [String: any Sendable])?["password"] as? String == "shared-pw")

        let peers = try await client.bookPeers(bobToken, book.guid)
        let peer = try #require(client.peerObjects(peers).first)
        #expect(peer["password"] as? String == "device-pw")
        #expect(peer["hash"] == nil)
        #expect(peer["same_server"] as? Bool == false)
        let tags = try await client.call("POST", "/api/ab/tags/\(book.guid)", token: bobToken)
        #expect(client.tagPairs(tags) == [.init(name: "ops", color: 4_278_255_360)])

        let refusedAdd = try await client.call(
            "POST", "/api/ab/peer/add/\(book.guid)", token: bobToken, json: #"{"id":"987654321"}"#)
        #expect(refusedAdd.status == 403)
        #expect(refusedAdd.error == "No write permission for this address book")
        let refusedDelete = try await client.call(
            "DELETE", "/api/ab/peer/\(book.guid)", token: bobToken, json: #"["123456789"]"#)
        #expect(refusedDelete.status == 403)
        #expect(refusedDelete.error != nil)
        let refusedTag = try await client.call(
            "DELETE", "/api/ab/tag/\(book.guid)", token: bobToken, json: #"["ops"]"#)
        #expect(refusedTag.status == 403)

        try await server.books.setRule(bookGUID: book.guid, target: .user(bob.id), rule: .readWrite)
        let upgraded = try await client.call("POST", "/api/ab/shared/profiles?current=1&pageSize=100", token: bobToken)
        #expect(upgraded.body.contains(#""rule":2"#))
        let add = try await client.call(
            "POST", "/api/ab/peer/add/\(book.guid)", token: bobToken, json: #"{"id":"987654321","alias":"new"}"#)
        #expect(add.status == 200)
        #expect(add.body.isEmpty)
        let delete = try await client.call(
            "DELETE", "/api/ab/peer/\(book.guid)", token: bobToken, json: #"["123456789"]"#)
        #expect(delete.status == 200)
        #expect(delete.body.isEmpty)
        let deleteTag = try await client.call(
            "DELETE", "/api/ab/tag/\(book.guid)", token: bobToken, json: #"["ops"]"#)
        #expect(deleteTag.status == 200)
        let after = try await client.bookPeers(bobToken, book.guid)
        #expect(client.peerObjects(after).compactMap { $0["id"] as? String } == ["987654321"])

        let carolToken = try await client.token("carol", "pw-carol")
        let nothing = try await client.call("POST", "/api/ab/shared/profiles?current=1&pageSize=100", token: carolToken)
        #expect(client.pageShape(nothing) == .init(total: 0, count: 0))
        for (method, path, body) in [
            ("POST", "/api/ab/peers?current=1&pageSize=100&ab=\(book.guid)", nil),
            ("POST", "/api/ab/tags/\(book.guid)", nil),
            ("POST", "/api/ab/peer/add/\(book.guid)", #"{"id":"1"}"#),
            ("DELETE", "/api/ab/peer/\(book.guid)", #"["987654321"]"#),
        ] as [(String, String, String?)] {
            let answer = try await client.call(method, path, token: carolToken, json: body)
            #expect(answer.status == 403, "\(method) \(path)")
            #expect(answer.error == "Permission denied")
            #expect(!answer.body.contains("987654321"))
        }
        let bobsPersonal = try await client.personalGUID(bobToken)
        #expect(try await client.bookPeers(carolToken, bobsPersonal).status == 403)
        await client.close()
        await server.stop()
    }

    @Test func groupAndEveryoneRulesReachTheirUsers() async throws {
        let server = try await APITestServer()
        let admin = try await server.adminUser()
        let dave = try await server.bookUser("dave", group: "support")
        try await server.bookUser("erin")
        let support = try await server.books.createSharedBook(ownerID: admin.id, name: "Support")
        let everyone = try await server.books.createSharedBook(ownerID: admin.id, name: "Everyone")
        try await server.books.setRule(
            bookGUID: support.guid, target: .group(try #require(dave.groupID)), rule: .readWrite)
        try await server.books.setRule(bookGUID: everyone.guid, target: .everyone, rule: .read)

        let client = try await server.client()
        let daveToken = try await client.token("dave", "pw-dave")
        let erinToken = try await client.token("erin", "pw-erin")
        let adminToken = try await client.token("admin", APITestServer.adminPassword)
        let daves = try await client.call("POST", "/api/ab/shared/profiles?current=1&pageSize=100", token: daveToken)
        #expect(daves.object?["total"] as? Int == 2)
        #expect(daves.body.contains(#""name":"Support""#))
        #expect(daves.body.contains(#""name":"Everyone""#))
        let erins = try await client.call("POST", "/api/ab/shared/profiles?current=1&pageSize=100", token: erinToken)
        #expect(erins.object?["total"] as? Int == 1)
        #expect(erins.body.contains(#""rule":1"#))
        #expect(try await client.bookPeers(erinToken, support.guid).status == 403)
        #expect(try await client.bookPeers(erinToken, everyone.guid).status == 200)
        let admins = try await client.call("POST", "/api/ab/shared/profiles?current=1&pageSize=100", token: adminToken)
        #expect(admins.object?["total"] as? Int == 2)
        #expect(!admins.body.contains(#""rule":1"#))

        try await server.books.removeRule(bookGUID: everyone.guid, target: .everyone)
        let erinsAfter = try await client.call(
            "POST", "/api/ab/shared/profiles?current=1&pageSize=100", token: erinToken)
        #expect(erinsAfter.object?["total"] as? Int == 0)
        try await server.books.deleteSharedBook(guid: support.guid)
        #expect(try await client.bookPeers(daveToken, support.guid).status == 404)
        await client.close()
        await server.stop()
    }

    @Test func peerUpdatesAndTagRenamesAndDeletesReachThePeers() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        let guid = try await client.personalGUID(token)
        for tag in ["a", "b"] {
            let answer = try await client.call(
                "POST", "/api/ab/tag/add/\(guid)", token: token, json: #"{"name":"\#(tag)","color":-65536}"#)
            #expect(answer.status == 200)
        }
        let duplicate = try await client.call(
            "POST", "/api/ab/tag/add/\(guid)", token: token, json: #"{"name":"a","color":1}"#)
        #expect(duplicate.status == 400)
        #expect(duplicate.error == "Tag already exists")
        _ = try await client.call(
            "POST", "/api/ab/peer/add/\(guid)", token: token,
            json: #"{"id":"1","alias":"one","note":"keep","tags":["a","b"]}"#)
        let update = try await client.call(
            "PUT", "/api/ab/peer/update/\(guid)", token: token,
            json: #"{"id":"1","alias":"uno","forceAlwaysRelay":"true"}"#)
        #expect(update.status == 200)
        #expect(update.body.isEmpty)
        let rename = try await client.call(
            "PUT", "/api/ab/tag/rename/\(guid)", token: token, json: #"{"old":"a","new":"c"}"#)
        #expect(rename.status == 200)
        let recolour = try await client.call(
            "PUT", "/api/ab/tag/update/\(guid)", token: token, json: #"{"name":"c","color":4294967295}"#)
        #expect(recolour.status == 200)
        let deleteTag = try await client.call("DELETE", "/api/ab/tag/\(guid)", token: token, json: #"["b"]"#)
        #expect(deleteTag.status == 200)

        let peer = try #require(client.peerObjects(try await client.bookPeers(token, guid)).first)
        #expect(peer["alias"] as? String == "uno")
        #expect(peer["note"] as? String == "keep")
        #expect(peer["forceAlwaysRelay"] as? String == "true")
        #expect(peer["tags"] as? [String] == ["c"])
        let tags = try await client.call("POST", "/api/ab/tags/\(guid)", token: token)
        #expect(client.tagPairs(tags) == [.init(name: "c", color: 4_294_967_295)])

        let missing = try await client.call(
            "PUT", "/api/ab/peer/update/\(guid)", token: token, json: #"{"id":"nope","alias":"x"}"#)
        #expect(missing.status == 400)
        #expect(missing.error == "Peer not found")
        let missingTag = try await client.call(
            "PUT", "/api/ab/tag/rename/\(guid)", token: token, json: #"{"old":"zzz","new":"y"}"#)
        #expect(missingTag.error == "Tag not found")
        await client.close()
        await server.stop()
    }

    @Test func pagesFollowCurrentAndPageSizeAndClampAbsurdValues() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        let guid = try await client.personalGUID(token)
        for id in 1...5 {
            _ = try await client.call("POST", "/api/ab/peer/add/\(guid)", token: token, json: #"{"id":"\#(id)"}"#)
        }
        let second = try await client.bookPeers(token, guid, current: 2, pageSize: 2)
        #expect(second.object?["total"] as? Int == 5)
        #expect(client.peerObjects(second).compactMap { $0["id"] as? String } == ["3", "4"])
        for query in [
            "current=0&pageSize=0", "current=-3&pageSize=-3", "current=1000000000&pageSize=1000000000",
            "current=abc&pageSize=", "current=99999999999999999999999&pageSize=1e9", "",
        ] {
            let answer = try await client.call("POST", "/api/ab/peers?\(query)&ab=\(guid)", token: token)
            #expect(answer.status == 200, "\(query)")
            #expect(answer.object?["total"] as? Int == 5, "\(query)")
            #expect(answer.object?["data"] is [any Sendable], "\(query)")
            let profiles = try await client.call("POST", "/api/ab/shared/profiles?\(query)", token: token)
            #expect(client.pageShape(profiles) == .init(total: 0, count: 0), "\(query)")
        }
        let tiny = try await client.bookPeers(token, guid, current: 1, pageSize: 0)
        #expect(client.peerObjects(tiny).count == 1)
        await client.close()
        await server.stop()
    }

    @Test func unknownBooksAre404InTheErrorShape() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        for (method, path) in [
            ("POST", "/api/ab/peers?current=1&pageSize=100&ab=00000000-0000-0000-0000-000000000000"),
            ("POST", "/api/ab/peers?current=1&pageSize=100"), ("POST", "/api/ab/tags/nope"),
            ("PUT", "/api/ab/tag/update/nope"),
        ] {
            let answer = try await client.call(method, path, token: token, json: #"{"name":"a","color":1}"#)
            #expect(answer.status == 404, "\(path)")
            #expect(answer.error == "Address book not found")
        }
        await client.close()
        await server.stop()
    }

    static let userRoutes: [(String, String)] = [
        ("POST", "/api/ab/personal"), ("POST", "/api/ab/settings"), ("POST", "/api/ab/shared/profiles?current=1"),
        ("POST", "/api/ab/peers?ab=x"), ("POST", "/api/ab/tags/x"), ("POST", "/api/ab/peer/add/x"),
        ("PUT", "/api/ab/peer/update/x"), ("DELETE", "/api/ab/peer/x"), ("POST", "/api/ab/tag/add/x"),
        ("PUT", "/api/ab/tag/rename/x"), ("PUT", "/api/ab/tag/update/x"), ("DELETE", "/api/ab/tag/x"),
        ("GET", "/api/ab"), ("POST", "/api/ab"), ("POST", "/api/ab/get"),
    ]

    @Test func everyRouteNeedsAValidToken() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        for (method, path) in Self.userRoutes {
            for header in [nil, "Bearer forged-token-value", "Bearer"] as [String?] {
                let answer = try await client.call(
                    method, path, json: method == "GET" ? nil : "{}",
                    extraHeaders: header.map { [("Authorization", $0)] } ?? [])
                #expect(answer.status == 401, "\(method) \(path) \(header ?? "none")")
                #expect(answer.error == "Invalid token")
            }
        }
        await client.close()
        await server.stop()
    }

    @Test func malformedBodiesAre400() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        let guid = try await client.personalGUID(token)
        let cases: [(String, String, String, String)] = [
            ("POST", "peer/add", "{not json", "Invalid request body"),
            ("POST", "peer/add", "[1,2]", "Invalid request body"),
            ("POST", "peer/add", #"{"alias":"no id"}"#, "Peer id is required"),
            (
                "POST", "peer/add", #"{"id":"1","alias":"\#(String(repeating: "a", count: 300))"}"#,
                "Peer alias is too long"
            ),
            ("PUT", "peer/update", "7", "Invalid request body"),
            ("DELETE", "peer", "{}", "Invalid request body"),
            ("DELETE", "tag", #""a""#, "Invalid request body"),
            ("POST", "tag/add", #"{"name":"x"}"#, "Tag colour must be a 32-bit ARGB number"),
            ("POST", "tag/add", #"{"name":"x","color":4294967296}"#, "Tag colour must be a 32-bit ARGB number"),
            ("POST", "tag/add", #"{"name":"x","color":"red"}"#, "Tag colour must be a 32-bit ARGB number"),
            ("POST", "tag/add", #"{"name":"","color":1}"#, "Tag name is required"),
            ("PUT", "tag/rename", #"{"old":"x","new":""}"#, "Tag name is required"),
        ]
        for (method, action, body, message) in cases {
            let answer = try await client.call(method, "/api/ab/\(action)/\(guid)", token: token, json: body)
            #expect(answer.status == 400, "\(action) \(body)")
            #expect(answer.error == message, "\(action) \(body)")
        }
        await client.close()
        await server.stop()
    }

    @Test func bodiesAreReadWhateverTheirContentTypeAndUnknownKeysAreIgnored() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        let guid = try await client.personalGUID(token)
        let add = try await client.call(
            "POST", "/api/ab/peer/add/\(guid)", token: token,
            json: #"{"id":123456789,"alias":null,"tags":["x",5,null],"same_server":true,"newKey":{"a":1}}"#,
            contentType: "text/plain; charset=utf-8")
        #expect(add.status == 200)
        let noType = try await client.call(
            "DELETE", "/api/ab/tag/\(guid)", token: token, json: #"["x", 1, {"odd":true}]"#, contentType: nil)
        #expect(noType.status == 200)
        let peer = try #require(client.peerObjects(try await client.bookPeers(token, guid)).first)
        #expect(peer["id"] as? String == "123456789")
        #expect(peer["alias"] as? String == "")
        #expect(peer["tags"] as? [String] == ["5"])
        await client.close()
        await server.stop()
    }

    @Test func oversizedBodiesAreRefusedBeforeReading() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        let guid = try await client.personalGUID(token)
        try await client.http.sendRaw(
            "POST /api/ab/peer/add/\(guid) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Length: 100000\r\n\r\n{")
        let response = try await client.http.response()
        #expect(response.status == 413)
        await client.close()
        await server.stop()
    }
}
