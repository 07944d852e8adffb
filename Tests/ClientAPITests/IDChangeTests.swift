import APICore
import Foundation
import RendezvousProtocol
import TestSupport
import Testing

/// ID changes through the rendezvous protocol (issue 13 item 5): the client's "change ID" sends
/// RegisterPk with `old_id`, its uuid and no key over TCP, and reads one RegisterPkResponse.
@Suite struct IDChangeTests {
    typealias Tool = APITokenTests

    static func changeID(from oldID: String, to newID: String, uuid: String, _ server: APITestServer) async throws
        -> Hbb_RegisterPkResponse.Result
    {
        let client = try await TCPTestClient(port: server.rendezvousPort)
        defer { Task { await client.close() } }
        try await client.send(
            .with {
                $0.registerPk = .with {
                    $0.id = newID
                    $0.oldID = oldID
                    $0.uuid = Data(uuid.utf8)
                }
            })
        return try await client.receive().registerPkResponse.result
    }

    @Test func movesTheRegistrationAndTheDeviceRow() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let device = try await ConnectionPolicyTests.LiveDevice.register(with: server)
        _ = try await client.sysinfo(device.registered, hostname: "laptop", username: "erin")
        let erin = try await server.addUser("erin", group: "ops")
        try await server.deviceService.assignOwner(erin.id, toDevice: device.id)
        let pk = try #require(server.hbbs.services.tables.registry.peer(device.id)?.pk)

        #expect(try await Self.changeID(from: device.id, to: "erins_laptop", uuid: device.uuid, server) == .ok)
        let registry = server.hbbs.services.tables.registry
        #expect(registry.peer(device.id) == nil)
        #expect(registry.peer("erins_laptop")?.pk == pk)
        #expect(try await server.store.peer(id: "erins_laptop")?.pk == pk)
        #expect(try await server.store.peer(id: device.id) == nil)
        let token = try await Tool.mint("devices", "device:r", server)
        let rows = try await client.call("GET", "/api/devices?id=erins_laptop", token: token)
        let row = try #require((rows.object?["data"] as? [[String: any Sendable]])?.first)
        #expect(row["user_name"] as? String == "erin")
        #expect(row["device_name"] as? String == "laptop")
        #expect(server.deviceService.directory.entry("erins_laptop")?.ownerID == erin.id)

        // The client then registers under its new ID with its key, as usual.
        try await device.udp.send(
            Messages.registerPk("erins_laptop", uuid: device.uuid, pk: pk), to: server.rendezvousPort)
        #expect(try await device.udp.receive().registerPkResponse.result == .ok)
        #expect(server.metric("hbbs_id_changes_total", ["result": "ok"]) == 1)
        await device.udp.close()
        await client.close()
        await server.stop()
    }

    @Test func refusals() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let device = try await ConnectionPolicyTests.LiveDevice.register(with: server)
        let other = try await server.registerDevice(id: "taken_one")
        #expect(try await Self.changeID(from: device.id, to: other.id, uuid: device.uuid, server) == .idExists)
        #expect(try await Self.changeID(from: device.id, to: "newname1", uuid: "someone-else", server) == .uuidMismatch)
        #expect(try await Self.changeID(from: "unknown1", to: "newname1", uuid: device.uuid, server) == .uuidMismatch)
        for invalid in ["1abcdef", "abc", "abcdefghijklmnopq", "abc def1", "abc.def1", "abcdéf1"] {
            #expect(
                try await Self.changeID(from: device.id, to: invalid, uuid: device.uuid, server) == .invalidIDFormat)
        }
        #expect(server.metric("hbbs_id_changes_total", ["result": "invalid_id"]) == 6)
        #expect(server.metric("hbbs_id_changes_total", ["result": "id_exists"]) == 1)

        // A disabled device keeps its ID.
        _ = try await client.sysinfo(device.registered, hostname: "kiosk", username: "front")
        let token = try await Tool.mint("devices", "device:rw", server)
        let guid = try await AdminDeviceChangeTests.guid(of: device.id, client, token)
        #expect(try await client.call("POST", "/api/devices/\(guid)/disable", token: token).status == 200)
        #expect(try await Self.changeID(from: device.id, to: "newname1", uuid: device.uuid, server) == .notSupport)
        #expect(server.hbbs.services.tables.registry.peer(device.id) != nil)
        await device.udp.close()
        await client.close()
        await server.stop()
    }

    @Test func allowIDChangeNTurnsItOff() async throws {
        let server = try await APITestServer { $0.allowIDChange = false }
        let device = try await ConnectionPolicyTests.LiveDevice.register(with: server)
        #expect(try await Self.changeID(from: device.id, to: "newname1", uuid: device.uuid, server) == .notSupport)
        #expect(server.metric("hbbs_id_changes_total", ["result": "not_allowed"]) == 1)
        await device.udp.close()
        await server.stop()
    }
}
