import APICore
import Foundation
import TestSupport
import Testing

/// devices.py's `enable`, `disable`, `delete` and `assign` over real HTTP with API tokens
/// (admin-api.md §2): Pro's "disable before delete", each assignment type, and the permission an
/// assignment's value reaches into.
@Suite struct AdminDeviceChangeTests {
    typealias Tool = APITokenTests

    static func guid(of id: String, _ client: RustDeskAPIClient, _ token: String) async throws -> String {
        let answer = try await client.call("GET", "/api/devices?id=\(id)", token: token)
        let rows = try #require(answer.object?["data"] as? [[String: any Sendable]])
        return try #require(rows.first?["guid"] as? String)
    }

    static func row(of id: String, _ client: RustDeskAPIClient, _ token: String) async throws -> [String: any Sendable]
    {
        let answer = try await client.call("GET", "/api/devices?id=\(id)", token: token)
        return try #require((answer.object?["data"] as? [[String: any Sendable]])?.first)
    }

    @Test func disableEnableAndDeleteOnlyWhenDisabled() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let desk = try await server.registerDevice()
        _ = try await client.sysinfo(desk, hostname: "desk", username: "alice")
        let token = try await Tool.mint("devices", "device:rw,audit:r", server)
        let guid = try await Self.guid(of: desk.id, client, token)

        let refused = try await client.call("DELETE", "/api/devices/\(guid)", token: token)
        #expect(refused.status == 400)
        #expect(refused.error == "Disable the device before deleting it")
        #expect(try await client.call("POST", "/api/devices/\(guid)/disable", token: token).status == 200)
        #expect(try await Self.row(of: desk.id, client, token)["status"] as? Int == 0)
        #expect(server.deviceService.directory.entry(desk.id)?.disabled == true)
        #expect(try await client.call("POST", "/api/devices/\(guid)/enable", token: token).status == 200)
        #expect(server.deviceService.directory.entry(desk.id)?.disabled == false)
        #expect(try await client.call("POST", "/api/devices/\(guid)/disable", token: token).status == 200)
        #expect(try await client.call("DELETE", "/api/devices/\(guid)", token: token).status == 200)
        let after = try await client.call("GET", "/api/devices?id=\(desk.id)", token: token)
        #expect(after.object?["total"] as? Int == 0)
        #expect(server.deviceService.directory.entry(desk.id) == nil)
        #expect(try await client.call("POST", "/api/devices/\(guid)/enable", token: token).status == 404)

        let console = try await ConsoleAuditTests.records("pageSize=10", client, token)
        #expect(console.compactMap { $0["iop"] as? Int } == [14, 9, 8, 9, 100])
        let readOnly = try await Tool.mint("viewer", "device:r", server)
        let denied = try await client.call("POST", "/api/devices/\(guid)/disable", token: readOnly)
        #expect(denied.status == 403)
        #expect(denied.error == "Token lacks read-write permission on device")
        await client.close()
        await server.stop()
    }

    @Test func assignEachType() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let desk = try await server.registerDevice()
        _ = try await client.sysinfo(desk, hostname: "desk", username: "alice")
        _ = try await server.addUser("erin", group: "ops")
        _ = try await server.deviceService.createDeviceGroup(name: "Lab")
        _ = try await server.deviceService.createStrategy(name: "Locked", options: ["enable-clipboard": "N"])
        let token = try await Tool.mint("devices", "device:rw,user:r,device_group:r,strategy:r", server)
        let guid = try await Self.guid(of: desk.id, client, token)
        func assign(_ type: String, _ value: String) async throws -> RustDeskAPIClient.Answer {
            let body = try String(
                data: JSONSerialization.data(withJSONObject: ["type": type, "value": value]), encoding: .utf8)
            return try await client.call("POST", "/api/devices/\(guid)/assign", token: token, json: body ?? "")
        }
        #expect(try await assign("user_name", "erin").status == 200)
        #expect(try await assign("device_group_name", "Lab").status == 200)
        #expect(try await assign("strategy_name", "Locked").status == 200)
        #expect(try await assign("note", "front office").status == 200)
        #expect(try await assign("device_name", "reception").status == 200)
        #expect(try await assign("device_username", "frontdesk").status == 200)
        var row = try await Self.row(of: desk.id, client, token)
        #expect(row["user_name"] as? String == "erin")
        #expect(row["device_group_name"] as? String == "Lab")
        #expect(row["strategy_name"] as? String == "Locked")
        #expect(row["note"] as? String == "front office")
        #expect(row["device_name"] as? String == "reception")
        #expect(row["device_username"] as? String == "frontdesk")
        // The names an administrator gave survive the device's next sysinfo upload.
        _ = try await client.sysinfo(desk, hostname: "desk-2", username: "alice")
        row = try await Self.row(of: desk.id, client, token)
        #expect(row["device_name"] as? String == "reception")
        #expect(row["device_username"] as? String == "frontdesk")

        #expect(try await assign("user_name", "").status == 200)
        #expect(try await Self.row(of: desk.id, client, token)["user_name"] as? String == "")
        let unknown = try await assign("device_group_name", "Nowhere")
        #expect(unknown.status == 404)
        #expect(unknown.error == "No device group named Nowhere")
        #expect(try await assign("colour", "red").status == 400)
        let noBook = try await assign("ab", "Shared")
        #expect(noBook.status == 403)
        #expect(noBook.error == "Token lacks read-write permission on address_book")
        await client.close()
        await server.stop()
    }

    /// A token scoped to devices cannot reach users, groups or strategies through an assignment.
    @Test func assignmentNeedsReadOnTheAreaItNames() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let desk = try await server.registerDevice()
        _ = try await client.sysinfo(desk, hostname: "desk", username: "alice")
        _ = try await server.addUser("erin", group: "ops")
        let token = try await Tool.mint("devices", "device:rw", server)
        let guid = try await Self.guid(of: desk.id, client, token)
        let body = #"{"type":"user_name","value":"erin"}"#
        let refused = try await client.call("POST", "/api/devices/\(guid)/assign", token: token, json: body)
        #expect(refused.status == 403)
        #expect(refused.error == "Token lacks read permission on user")
        #expect(try await Self.row(of: desk.id, client, token)["user_name"] as? String == "")
        await client.close()
        await server.stop()
    }
}
