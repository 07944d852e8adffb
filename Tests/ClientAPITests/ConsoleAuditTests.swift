import APICore
import Foundation
import TestSupport
import Testing

/// Every administrative change is a console audit record (issue 13 item 4): who (user, token or the
/// local tool, and which session or token), what, when and from where, readable with audits.py's
/// `view-console` query through `GET /api/audits/console`.
@Suite struct ConsoleAuditTests {
    typealias Tool = APITokenTests

    static func records(_ query: String, _ client: RustDeskAPIClient, _ token: String) async throws
        -> [[String: any Sendable]]
    {
        let answer = try await client.call("GET", "/api/audits/console?\(query)", token: token)
        #expect(answer.status == 200)
        return answer.object?["data"] as? [[String: any Sendable]] ?? []
    }

    @Test func changesAreRecordedWithWhoWhatWhenAndWhere() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        _ = try await Tool.mint("from-tool", "user:rw,audit:r", server)
        let session = try await client.token("admin", APITestServer.adminPassword)
        let created = try await client.call(
            "POST", "/api/tokens", token: session, json: #"{"name":"scripts","permissions":"user:rw,audit:r"}"#)
        let token = try #require(created.object?["token"] as? String)
        let tokenGUID = try #require(created.object?["guid"] as? String)
        server.wallClock.advance(seconds: 60)
        let erin = #"{"name":"erin","password":"erin-pw","group_name":"ops"}"#
        #expect(try await client.call("POST", "/api/users", token: token, json: erin).status == 200)

        let all = try await Self.records("pageSize=10&current=1", client, token)
        #expect(all.count == 3)
        let newest = try #require(all.first)
        #expect(newest["typ"] as? Int == 1)
        #expect(newest["iop"] as? Int == 2)
        #expect(newest["operator"] as? String == "scripts")
        #expect(newest["operator_kind"] as? String == "token")
        #expect(newest["credential"] as? String == tokenGUID)
        #expect(newest["ip"] as? String == "127.0.0.1")
        #expect(newest["info"] as? String == #"{"user":"erin","group":"ops"}"#)
        #expect(newest["created_at"] as? Int == Int(server.wallClock.seconds))
        let byAdmin = all[1]
        #expect(byAdmin["iop"] as? Int == 100)
        #expect(byAdmin["operator"] as? String == "admin")
        #expect(byAdmin["operator_kind"] as? String == "user")
        #expect((byAdmin["credential"] as? String)?.count == 12)
        #expect(all[2]["operator"] as? String == "rustdesk-utils")
        #expect(all[2]["operator_kind"] as? String == "tool")

        #expect(try await Self.records("operator=%25script%25", client, token).count == 1)
        #expect(try await Self.records("operator=admin", client, token).count == 1)
        let since = Date(timeIntervalSince1970: TimeInterval(server.wallClock.seconds))
        #expect(try await Self.records("created_at=\(Self.utc(since))", client, token).count == 1)
        let bad = try await client.call("GET", "/api/audits/console?created_at=yesterday", token: token)
        #expect(bad.status == 400)
        await client.close()
        await server.stop()
    }

    @Test func readingNeedsTheAuditPermission() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Tool.mint("users-only", "user:rw", server)
        let refused = try await client.call("GET", "/api/audits/console", token: token)
        #expect(refused.status == 403)
        #expect(refused.error == "Token lacks read permission on audit")
        await client.close()
        await server.stop()
    }

    /// `YYYY-MM-DD HH:MM:SS.000` in UTC, percent-encoded for a query, as audits.py sends it.
    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day))%20"
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)).000"
    }
}
