import APICore
import Foundation
import TestSupport
import Testing

/// audits.py's `view-conn`, `view-file` and `view-alarm` over real HTTP with an API token: what
/// devices posted, newest first, with the script's filters, the keys it reads (`created_at`,
/// `end_time`, `conn_type` absent before login) and the `audit` read permission.
@Suite struct AdminAuditReadTests {
    typealias Tool = APITokenTests

    static func data(_ path: String, _ client: RustDeskAPIClient, _ token: String) async throws -> [[String:
        any Sendable]]
    {
        let answer = try await client.call("GET", path, token: token)
        #expect(answer.status == 200)
        return answer.object?["data"] as? [[String: any Sendable]] ?? []
    }

    @Test func connectionsFilesAndAlarms() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let ids = #""id":"\#(device.id)","uuid":"\#(device.uuidBase64)""#
        let posts = [
            ("conn", #"{"ip":"203.0.113.7","action":"new",\#(ids),"conn_id":3,"session_id":0}"#),
            ("conn", #"{"peer":["987654321","alice-pc"],"type":1,\#(ids),"conn_id":3,"session_id":77}"#),
            ("conn", #"{"action":"close",\#(ids),"conn_id":3,"session_id":77}"#),
            ("conn", #"{"ip":"203.0.113.8","action":"new",\#(ids),"conn_id":4,"session_id":0}"#),
            (
                "file",
                #"{\#(ids),"peer_id":"987654321","conn_id":3,"type":1,"path":"/tmp/a","is_file":true,"info":"{}"}"#
            ),
            ("alarm", #"{\#(ids),"typ":2,"info":"{}","conn_id":0}"#),
        ]
        for (kind, body) in posts {
            server.wallClock.advance(seconds: 10)
            #expect(try await client.call("POST", "/api/audit/\(kind)", json: body).status == 200)
        }
        let token = try await Tool.mint("auditor", "audit:r", server)

        let connections = try await Self.data("/api/audits/conn?pageSize=10&current=1", client, token)
        #expect(connections.map { $0["conn_id"] as? Int } == [4, 3])
        #expect(connections.first?["conn_type"] == nil)
        #expect(connections.first?["end_time"] is NSNull)
        let closed = try #require(connections.last)
        #expect(closed["conn_type"] as? Int == 1)
        #expect(closed["remote"] as? String == "987654321")
        #expect(closed["remote_name"] as? String == "alice-pc")
        #expect(closed["device_id"] as? String == device.id)
        #expect(closed["end_time"] as? Int == Int(server.wallClock.seconds - 30))
        #expect(try await Self.data("/api/audits/conn?remote=%25654%25", client, token).count == 1)
        #expect(try await Self.data("/api/audits/conn?conn_type=1", client, token).count == 1)
        #expect(try await Self.data("/api/audits/conn?conn_type=0", client, token).isEmpty)
        // As Python's requests sends it: the space as "+".
        let since = NaiveUTCTime.text(server.wallClock.seconds - 30).replacingOccurrences(of: "T", with: "+") + ".000"
        #expect(try await Self.data("/api/audits/conn?created_at=\(since)", client, token).count == 1)
        #expect(try await client.call("GET", "/api/audits/conn?conn_type=x", token: token).status == 400)

        let files = try await Self.data("/api/audits/file?remote=987654321", client, token)
        #expect(files.first?["path"] as? String == "/tmp/a")
        #expect(files.first?["is_file"] as? Bool == true)
        let alarms = try await Self.data("/api/audits/alarm?device=\(device.id)", client, token)
        #expect(alarms.first?["typ"] as? Int == 2)
        #expect(try await Self.data("/api/audits/alarm?device=0", client, token).isEmpty)

        let users = try await Tool.mint("users", "user:r", server)
        for path in ["conn", "file", "alarm"] {
            #expect(try await client.call("GET", "/api/audits/\(path)", token: users).status == 403)
        }
        await client.close()
        await server.stop()
    }
}
