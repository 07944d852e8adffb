import APICore
import Foundation
import TestSupport
import Testing

/// devices.py's `view` over real HTTP with an API token (admin-api.md §2): every device the API knows,
/// online from hbbs's registry, `last_online` as naive UTC, and the script's LIKE filters.
@Suite struct AdminDeviceRouteTests {
    typealias Tool = APITokenTests

    @Test func listWithOnlineStateAndFilters() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let desk = try await server.registerDevice()
        let lab = try await server.registerDevice()
        _ = try await client.sysinfo(desk, hostname: "front-desk", username: "alice")
        _ = try await client.sysinfo(lab, hostname: "lab-pc", username: "bob")
        _ = try await client.heartbeat(desk)
        let erin = try await server.addUser("erin", group: "ops")
        try await server.deviceService.assignOwner(erin.id, toDevice: desk.id)
        let group = try await server.deviceService.createDeviceGroup(name: "Lab")
        try await server.deviceService.assignDeviceGroup(group.id, toDevice: lab.id)
        let token = try await Tool.mint("devices", "device:r", server)

        let all = try await client.call("GET", "/api/devices?pageSize=30&current=1", token: token)
        #expect(all.object?["total"] as? Int == 2)
        let rows = try #require(all.object?["data"] as? [[String: any Sendable]])
        let byID = Dictionary(uniqueKeysWithValues: rows.compactMap { row in (row["id"] as? String).map { ($0, row) } })
        let deskRow = try #require(byID[desk.id])
        #expect((deskRow["guid"] as? String)?.count == 36)
        #expect(deskRow["online"] as? Bool == true)
        #expect(deskRow["last_online"] as? String == NaiveUTCTime.text(server.wallClock.seconds))
        #expect(deskRow["device_name"] as? String == "front-desk")
        #expect(deskRow["user_name"] as? String == "erin")
        #expect(deskRow["group_name"] as? String == "ops")
        #expect(byID[lab.id]?["device_group_name"] as? String == "Lab")

        func ids(_ query: String) async throws -> [String] {
            let answer = try await client.call("GET", "/api/devices?\(query)", token: token)
            return (answer.object?["data"] as? [[String: any Sendable]])?.compactMap { $0["id"] as? String } ?? []
        }
        #expect(try await ids("device_name=%25lab%25") == [lab.id])
        #expect(try await ids("device_username=alice") == [desk.id])
        #expect(try await ids("user_name=%25eri%25") == [desk.id])
        #expect(try await ids("group_name=ops") == [desk.id])
        #expect(try await ids("device_group_name=Lab") == [lab.id])
        #expect(try await ids("device_group_name=-") == [desk.id])
        #expect(try await ids("id=\(desk.id)") == [desk.id])

        let users = try await Tool.mint("users", "user:r", server)
        let refused = try await client.call("GET", "/api/devices", token: users)
        #expect(refused.status == 403)
        #expect(refused.error == "Token lacks read permission on device")
        await client.close()
        await server.stop()
    }
}
