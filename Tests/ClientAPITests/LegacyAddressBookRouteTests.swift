import APICore
import Foundation
import Testing

/// http-api.md §3: the legacy book, served from the personal book, as old Flutter clients and the
/// Sciter UI use it.
@Suite struct LegacyAddressBookRouteTests {
    /// The inner document of a legacy answer.
    static func document(_ answer: RustDeskAPIClient.Answer) -> [String: any Sendable]? {
        guard let text = answer.object?["data"] as? String else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: any Sendable]
    }

    static func upload(peers: String, tags: String = "[]", colors: String = "{}") -> String {
        let document = #"{"tags":\#(tags),"peers":\#(peers),"tag_colors":\#(quoted(colors))}"#
        return #"{"data":\#(quoted(document))}"#
    }

    @Test func anEmptyBookIsAnEmptyDocument() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        let answer = try await client.call("GET", "/api/ab", token: token)
        #expect(answer.status == 200)
        let document = try #require(Self.document(answer))
        #expect((document["tags"] as? [any Sendable])?.isEmpty == true)
        #expect((document["peers"] as? [any Sendable])?.isEmpty == true)
        #expect(document["tag_colors"] as? String == "{}")
        await client.close()
        await server.stop()
    }

    @Test func anUploadReplacesThePersonalBookAndEveryViewShowsIt() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        let guid = try await client.personalGUID(token)
        _ = try await client.call(
            "POST", "/api/ab/peer/add/\(guid)", token: token, json: #"{"id":"1","note":"survives","alias":"old"}"#)
        _ = try await client.call("POST", "/api/ab/peer/add/\(guid)", token: token, json: #"{"id":"gone"}"#)

        let body = Self.upload(
            peers:
                #"[{"id":"1","alias":"new","tags":["work"],"hash":"h1","password":"never"},{"id":"2","username":"u"}]"#,
            tags: #"["work","home"]"#, colors: #"{"work":4294901760}"#)
        let upload = try await client.call("POST", "/api/ab", token: token, json: body)
        #expect(upload.status == 200)
        #expect(upload.body.isEmpty)

        for (method, path) in [("GET", "/api/ab"), ("POST", "/api/ab/get")] {
            let answer = try await client.call(method, path, token: token, json: method == "GET" ? nil : "{}")
            #expect(answer.status == 200)
            let document = try #require(Self.document(answer))
            #expect(document["tags"] as? [String] == ["work", "home"])
            let peers = try #require(document["peers"] as? [[String: any Sendable]])
            #expect(peers.compactMap { $0["id"] as? String } == ["1", "2"])
            #expect(peers.first?["alias"] as? String == "new")
            #expect(peers.first?["note"] as? String == "survives")
            #expect(peers.first?["hash"] as? String == "h1")
            #expect(peers.allSatisfy { $0["password"] == nil })
            let colorText = try #require(document["tag_colors"] as? String)
            let colors = try #require(
                try JSONSerialization.jsonObject(with: Data(colorText.utf8)) as? [String: any Sendable])
            #expect(colors["work"] as? Int == 4_294_901_760)
            #expect(colors["home"] is Int)
        }
        let peers = try await client.bookPeers(token, guid)
        #expect(peers.object?["total"] as? Int == 2)
        let tags = try await client.call("POST", "/api/ab/tags/\(guid)", token: token)
        #expect(client.tagPairs(tags).map(\.name) == ["work", "home"])
        #expect(client.tagPairs(tags).first?.color == 4_294_901_760)
        await client.close()
        await server.stop()
    }

    @Test func largeUploadsPassTheJSONLimitButTooManyPeersAreRefusedClearly() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        let many = (0..<3_000).map { #"{"id":"\#(100_000_000 + $0)","alias":"device number \#($0)"}"# }
        let accepted = try await client.call(
            "POST", "/api/ab", token: token, json: Self.upload(peers: "[\(many.joined(separator: ","))]"))
        #expect(accepted.status == 200)
        #expect(accepted.body.isEmpty)
        let guid = try await client.personalGUID(token)
        #expect(try await client.bookPeers(token, guid).object?["total"] as? Int == 3_000)

        let tooMany = (0..<10_001).map { #"{"id":"\#($0)"}"# }
        let refused = try await client.call(
            "POST", "/api/ab", token: token, json: Self.upload(peers: "[\(tooMany.joined(separator: ","))]"))
        #expect(refused.status == 400)
        #expect(refused.error == "Too many peers (max 10000)")
        #expect(try await client.bookPeers(token, guid).object?["total"] as? Int == 3_000)
        await client.close()
        await server.stop()
    }

    @Test func malformedUploadsAre400AndChangeNothing() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        _ = try await client.call("POST", "/api/ab", token: token, json: Self.upload(peers: #"[{"id":"1"}]"#))
        for body in ["{}", #"{"data":7}"#, #"{"data":"not json"}"#, #"{"data":"{\"peers\":[5]}"}"#, "[]", "{bad"] {
            let answer = try await client.call("POST", "/api/ab", token: token, json: body)
            #expect(answer.status == 400, "\(body)")
            #expect(answer.error == "Invalid request body", "\(body)")
        }
        let after = try await client.call("GET", "/api/ab", token: token)
        #expect((Self.document(after)?["peers"] as? [any Sendable])?.count == 1)
        await client.close()
        await server.stop()
    }

    @Test func anUploadLargerThanItsLimitIsRefusedBeforeReading() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        try await client.http.sendRaw(
            "POST /api/ab HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Length: \(4 * 1024 * 1024 + 1)\r\n\r\n{")
        let response = try await client.http.response()
        #expect(response.status == 413)
        await client.close()
        await server.stop()
    }
}
