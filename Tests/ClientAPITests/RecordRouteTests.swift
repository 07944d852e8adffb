import Foundation
import TestSupport
import Testing

/// http-api.md §7 through real HTTP against hbbs: a recording uploaded in the client's steps ends
/// up byte for byte under the recordings directory, and names that are not plain recording names
/// never reach the disk.
@Suite struct RecordRouteTests {
    static let name = "incoming_123456789_20260101120000123_display0_vp9.webm"

    /// Text whose UTF-8 covers most byte values (the test client sends bodies as text).
    static let chunk = String(String.UnicodeScalarView((1...0x7FF).compactMap(Unicode.Scalar.init)))

    @Test func newPartTailRemoveProduceTheRightBytes() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let path = server.directory.file("recordings/\(Self.name)")

        let new = try await client.call("POST", "/api/record?type=new&file=\(Self.name)")
        #expect(new.status == 200)
        #expect(new.body == "{}")
        #expect(try contents(path) == [])

        let first = Array(Self.chunk.utf8)
        let part1 = try await client.call(
            "POST", "/api/record?type=part&file=\(Self.name)&offset=0&length=\(first.count)", json: Self.chunk,
            contentType: nil)
        #expect(part1.status == 200)
        #expect(part1.body == "{}")
        let second = "the second chunk"
        let part2 = try await client.call(
            "POST", "/api/record?type=part&file=\(Self.name)&offset=\(first.count)&length=\(second.utf8.count)",
            json: second, contentType: nil)
        #expect(part2.status == 200)
        #expect(try contents(path) == first + Array(second.utf8))

        let header = "HEAD"
        let tail = try await client.call(
            "POST", "/api/record?type=tail&file=\(Self.name)&offset=0&length=4", json: header, contentType: nil)
        #expect(tail.status == 200)
        #expect(try contents(path) == Array(header.utf8) + first.dropFirst(4) + Array(second.utf8))

        let remove = try await client.call("POST", "/api/record?type=remove&file=\(Self.name)")
        #expect(remove.status == 200)
        #expect(remove.body == "{}")
        #expect(!FileManager.default.fileExists(atPath: path))
        // Removing twice is fine (the client may retry).
        #expect(try await client.call("POST", "/api/record?type=remove&file=\(Self.name)").status == 200)
        await client.close()
        await server.stop()
    }

    @Test(arguments: [
        "..%2F..%2Fescape.webm", "../escape.webm", "sub%2Fescape.webm", "%2Ftmp%2Fescape.webm", "escape.txt",
        ".escape.webm", "escape%00.webm", "", String(repeating: "a", count: 300) + ".webm",
    ])
    func pathTraversalAndOtherNamesAreRefused(_ file: String) async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        for type in ["new", "remove"] {
            let answer = try await client.call("POST", "/api/record?type=\(type)&file=\(file)")
            #expect(answer.status == 400)
            #expect(answer.error == "Invalid file name")
        }
        let part = try await client.call(
            "POST", "/api/record?type=part&file=\(file)&offset=0&length=4", json: "data", contentType: nil)
        #expect(part.status == 400)
        #expect(!FileManager.default.fileExists(atPath: server.directory.file("escape.webm")))
        #expect(!FileManager.default.fileExists(atPath: server.directory.file("recordings")))
        await client.close()
        await server.stop()
    }

    @Test func badStepsAreRefusedWithAnError() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let file = "file=\(Self.name)"
        let unknown = try await client.call(
            "POST", "/api/record?type=part&\(file)&offset=0&length=4", json: "data", contentType: nil)
        #expect(unknown.status == 404)
        #expect(unknown.error == "Unknown recording")

        #expect(try await client.call("POST", "/api/record?type=new&\(file)").status == 200)
        let cases: [(String, String?, Int, String)] = [
            ("type=part&\(file)&offset=0&length=5", "data", 400, "Length does not match the body"),
            ("type=part&\(file)&offset=0", "data", 400, "Invalid length"),
            ("type=part&\(file)&offset=x&length=4", "data", 400, "Invalid offset"),
            ("type=tail&\(file)&offset=8&length=4", "data", 400, "Invalid offset"),
            ("type=part&\(file)&offset=\(UInt64(8) << 30)&length=4", "data", 413, "Recording too large"),
            ("type=part&\(file)&offset=0&length=\(9 << 20)", "data", 413, "Request body too large"),
            ("type=append&\(file)", nil, 400, "Invalid type"),
            ("\(file)", nil, 400, "Invalid type"),
        ]
        for (query, body, status, error) in cases {
            let answer = try await client.call("POST", "/api/record?\(query)", json: body, contentType: nil)
            #expect(answer.status == status, "\(query)")
            #expect(answer.error == error, "\(query)")
        }
        #expect(try contents(server.directory.file("recordings/\(Self.name)")) == [])
        await client.close()
        await server.stop()
    }

    @Test func aChunkAboveTheLimitIs413BeforeItIsRead() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let size = 8 * 1024 * 1024 + 1
        try await client.http.sendRaw(
            "POST /api/record?type=part&file=\(Self.name)&offset=0&length=\(size) HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nContent-Length: \(size)\r\n\r\n")
        let answer = try await client.http.response(timeout: .seconds(20))
        #expect(answer.status == 413)
        await client.close()
        await server.stop()
    }

    @Test func aChunkAtTheLimitIsStored() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        #expect(try await client.call("POST", "/api/record?type=new&file=\(Self.name)").status == 200)
        let chunk = String(repeating: "r", count: 8 * 1024 * 1024)
        let answer = try await client.call(
            "POST", "/api/record?type=part&file=\(Self.name)&offset=0&length=\(chunk.utf8.count)", json: chunk,
            contentType: nil)
        #expect(answer.status == 200)
        let attributes = try FileManager.default.attributesOfItem(
            atPath: server.directory.file("recordings/\(Self.name)"))
        #expect((attributes[.size] as? NSNumber)?.intValue == chunk.utf8.count)
        await client.close()
        await server.stop()
    }

    private func contents(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
