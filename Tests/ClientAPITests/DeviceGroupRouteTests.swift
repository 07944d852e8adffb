import APICore
import Foundation
import TestSupport
import Testing

/// device-groups.py's commands over real HTTP with an API token (admin-api.md §2). Membership reaches
/// the heartbeat at once: a strategy assigned to the group is pushed to a member, and dropped when it
/// leaves or the group is deleted.
@Suite struct DeviceGroupRouteTests {
    typealias Tool = APITokenTests

    @Test func createAddDevicesThroughTheHeartbeatAndDelete() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        _ = try await client.sysinfo(device)
        let locked = try await server.deviceService.createStrategy(name: "Locked", options: ["enable-audio": "N"])
        let token = try await Tool.mint("groups", "device_group:rw,strategy:rw,audit:r", server)
        let empty = try await client.call("GET", "/api/device-groups?pageSize=50&current=1", token: token)
        #expect(empty.object?["total"] as? Int == 0)

        let lab = #"{"name":"Lab","note":"bench","allowed_incomings":[{"type":0,"name":"Default"}]}"#
        #expect(try await client.call("POST", "/api/device-groups", token: token, json: lab).status == 200)
        #expect(try await client.call("POST", "/api/device-groups", token: token, json: lab).status == 409)
        let listed = try await client.call("GET", "/api/device-groups?name=Lab", token: token)
        let group = try #require((listed.object?["data"] as? [[String: any Sendable]])?.first)
        #expect(group["note"] as? String == "bench")
        #expect(UserGroupRouteTests.rules(group, "allowed_incomings") == ["0:Default"])
        let guid = try #require(group["guid"] as? String)

        #expect(
            try await client.call("POST", "/api/device-groups/\(guid)", token: token, json: #"["\#(device.id)"]"#)
                .status == 200)
        let assign = #"{"strategy":"\#(locked.guid)","groups":["\#(guid)"]}"#
        #expect(try await client.call("POST", "/api/strategies/assign", token: token, json: assign).status == 200)
        #expect(try await client.heartbeat(device).object?["modified_at"] as? Int == Int(locked.modifiedAt))

        let remove = try await client.call(
            "DELETE", "/api/device-groups/\(guid)/devices", token: token, json: #"["\#(device.id)"]"#)
        #expect(remove.status == 200)
        #expect(try await client.heartbeat(device, modifiedAt: locked.modifiedAt).object?["modified_at"] as? Int == 0)

        #expect(
            try await client.call("POST", "/api/device-groups/\(guid)", token: token, json: #"["\#(device.id)"]"#)
                .status == 200)
        #expect(try await client.heartbeat(device).object?["modified_at"] as? Int == Int(locked.modifiedAt))
        #expect(try await client.call("DELETE", "/api/device-groups/\(guid)", token: token).status == 200)
        #expect(try await client.heartbeat(device, modifiedAt: locked.modifiedAt).object?["modified_at"] as? Int == 0)
        #expect(try await server.deviceService.device(id: device.id)?.groupID == nil)
        #expect(try await client.call("DELETE", "/api/device-groups/\(guid)", token: token).status == 404)

        let audit = try await client.call("GET", "/api/audits/console", token: token)
        let operations = (audit.object?["data"] as? [[String: any Sendable]])?.map { $0["iop"] as? Int ?? -1 }
        #expect(operations == [4, 10, 10, 103, 10, 1, 100])
        await client.close()
        await server.stop()
    }

    @Test func badInputAndPermissions() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Tool.mint("groups", "device_group:rw", server)
        #expect(
            try await client.call("POST", "/api/device-groups", token: token, json: #"{"name":"Lab"}"#).status == 200)
        let guid = try #require(
            ((try await client.call("GET", "/api/device-groups", token: token).object?["data"]
                as? [[String: any Sendable]])?
                .first?["guid"] as? String))
        let unknown = try await client.call("POST", "/api/device-groups/\(guid)", token: token, json: #"["999999"]"#)
        #expect(unknown.status == 404)
        #expect(unknown.error == "Device 999999 not found")
        for body in [
            #"{"name":"X","allowed_incomings":[{"type":1,"name":"Lab"}]}"#,
            #"{"name":"X","allowed_incomings":[{"type":2,"name":"nobody"}]}"#, #"{"note":"x"}"#,
        ] {
            #expect(try await client.call("POST", "/api/device-groups", token: token, json: body).status == 400)
        }
        #expect(try await client.call("PATCH", "/api/device-groups/nope", token: token, json: "{}").status == 404)
        let renamed = try await client.call(
            "PATCH", "/api/device-groups/\(guid)", token: token, json: #"{"name":"Bench"}"#)
        #expect(renamed.status == 200)
        let users = try await Tool.mint("users", "user:rw", server)
        let refused = try await client.call("GET", "/api/device-groups", token: users)
        #expect(refused.status == 403)
        #expect(refused.error == "Token lacks read permission on device_group")
        await client.close()
        await server.stop()
    }
}
