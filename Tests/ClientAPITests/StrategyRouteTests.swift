import APICore
import Foundation
import TestSupport
import Testing

/// strategies.py's commands over real HTTP with an API token (admin-api.md §2): the bare list with
/// `Default`, view, assign to a device (which its next heartbeat receives), disable, unassign, and the
/// permissions an assignment body needs.
@Suite struct StrategyRouteTests {
    typealias Tool = APITokenTests

    @Test func listAssignDisableAndUnassign() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        _ = try await client.sysinfo(device)
        let locked = try await server.deviceService.createStrategy(name: "Locked", options: ["enable-audio": "N"])
        let token = try await Tool.mint("strategies", "strategy:rw,device:r,audit:r", server)

        let list = try await client.call("GET", "/api/strategies", token: token)
        #expect(list.status == 200)
        let items = try #require(list.array as? [[String: any Sendable]])
        #expect(items.map { $0["name"] as? String } == ["Default", "Locked"])
        #expect((items.first?["guid"] as? String)?.count == 36)
        #expect(items.first?["options"] as? [String: String] == [:])
        let viewed = try await client.call("GET", "/api/strategies/\(locked.guid)", token: token)
        #expect(viewed.object?["options"] as? [String: String] == ["enable-audio": "N"])
        #expect(viewed.object?["enabled"] as? Bool == true)

        let deviceGUID = try #require(try await server.deviceService.device(id: device.id)?.guid)
        let assign = #"{"strategy":"\#(locked.guid)","peers":["\#(deviceGUID)"],"users":[],"groups":[]}"#
        #expect(try await client.call("POST", "/api/strategies/assign", token: token, json: assign).status == 200)
        let pushed = try #require(try await client.heartbeat(device).object)
        #expect(pushed["modified_at"] as? Int == Int(locked.modifiedAt))
        let options = (pushed["strategy"] as? [String: any Sendable])?["config_options"] as? [String: String]
        #expect(options == ["enable-audio": "N"])

        // Disabled, it manages nothing: the device is told to drop it.
        let off = try await client.call("PUT", "/api/strategies/\(locked.guid)/status", token: token, json: "false")
        #expect(off.status == 200)
        let dropped = try #require(try await client.heartbeat(device, modifiedAt: locked.modifiedAt).object)
        #expect(dropped["modified_at"] as? Int == 0)
        #expect(
            try await client.call("PUT", "/api/strategies/\(locked.guid)/status", token: token, json: "true").status
                == 200)
        let back = try #require(try await client.heartbeat(device).object)
        #expect((back["modified_at"] as? Int ?? 0) > 0)

        // Without a strategy, the assignment removes it.
        let unassign = #"{"peers":["\#(deviceGUID)"]}"#
        #expect(try await client.call("POST", "/api/strategies/assign", token: token, json: unassign).status == 200)
        let stamp = Int64(back["modified_at"] as? Int ?? 0)
        #expect(try await client.heartbeat(device, modifiedAt: stamp).object?["modified_at"] as? Int == 0)

        let audit = try await client.call("GET", "/api/audits/console", token: token)
        let operations = (audit.object?["data"] as? [[String: any Sendable]])?.map { $0["iop"] as? Int ?? -1 }
        #expect(operations == [103, 102, 102, 103, 100])
        await client.close()
        await server.stop()
    }

    @Test func assignmentsNeedReadOnEveryAreaTheyName() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        _ = try await client.sysinfo(device)
        let strategyOnly = try await Tool.mint("strategy-only", "strategy:rw", server)
        let everything = try await Tool.mint("everything", Tool.allAreas, server)
        let deviceGUID = try #require(try await server.deviceService.device(id: device.id)?.guid)
        let strategies = try #require(
            try await client.call("GET", "/api/strategies", token: strategyOnly).array as? [[String: any Sendable]])
        let defaultGUID = try #require(strategies.first?["guid"] as? String)
        let admin = try await AdminUserRouteTests.guid(of: "admin", client, everything)

        for (body, area) in [
            (#"{"strategy":"\#(defaultGUID)","peers":["\#(deviceGUID)"]}"#, "device"),
            (#"{"strategy":"\#(defaultGUID)","users":["\#(admin)"]}"#, "user"),
            (#"{"strategy":"\#(defaultGUID)","groups":["whatever"]}"#, "device_group"),
        ] {
            let refused = try await client.call("POST", "/api/strategies/assign", token: strategyOnly, json: body)
            #expect(refused.status == 403)
            #expect(refused.error == "Token lacks read permission on \(area)")
        }
        let unknown = try await client.call(
            "POST", "/api/strategies/assign", token: everything,
            json: #"{"strategy":"\#(defaultGUID)","peers":["nope"]}"#)
        #expect(unknown.status == 404)
        #expect(unknown.error == "No device with guid nope")
        #expect(try await client.call("GET", "/api/strategies/nope", token: everything).status == 404)
        let users = try await client.call(
            "POST", "/api/strategies/assign", token: everything,
            json: #"{"strategy":"\#(defaultGUID)","users":["\#(admin)"]}"#)
        #expect(users.status == 200)
        let reader = try await Tool.mint("reader", "strategy:r", server)
        #expect(
            try await client.call("PUT", "/api/strategies/\(defaultGUID)/status", token: reader, json: "false").status
                == 403)
        await client.close()
        await server.stop()
    }
}
