import APICore
import Foundation
import RustDeskCore
import TestSupport
import Testing

/// `rustdesk --assign` (`POST /api/devices/cli`) and `rustdesk --deploy` (`POST /api/devices/deploy`)
/// over real HTTP with API tokens, bodies shaped as the client builds them (http-api.md §8).
@Suite struct ProvisioningRouteTests {
    typealias Tool = APITokenTests

    @Test func assignFromTheDeviceItself() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let device = try await ConnectionPolicyTests.LiveDevice.register(with: server)
        _ = try await server.addUser("erin", group: "ops")
        _ = try await server.deviceService.createDeviceGroup(name: "Lab")
        let token = try await Tool.mint("assign", "device:rw,user:r,device_group:r", server)
        let uuid = device.registered.uuidBase64
        let body = """
            {"id":"\(device.id)","uuid":"\(uuid)","user_name":"erin","device_group_name":"Lab","note":"rack 4"}
            """
        let done = try await client.call("POST", "/api/devices/cli", token: token, json: body)
        #expect(done.status == 200)
        #expect(done.body.isEmpty)
        let row = try await AdminDeviceChangeTests.row(of: device.id, client, token)
        #expect(row["user_name"] as? String == "erin")
        #expect(row["device_group_name"] as? String == "Lab")
        #expect(row["note"] as? String == "rack 4")

        let stranger = #"{"id":"\#(device.id)","uuid":"c29tZW9uZS1lbHNl","note":"x"}"#
        let refused = try await client.call("POST", "/api/devices/cli", token: token, json: stranger)
        #expect(refused.status == 404)
        let nothing = #"{"id":"\#(device.id)","uuid":"\#(uuid)"}"#
        #expect(try await client.call("POST", "/api/devices/cli", token: token, json: nothing).status == 400)
        let narrow = try await Tool.mint("narrow", "device:rw", server)
        let outside = try await client.call("POST", "/api/devices/cli", token: narrow, json: body)
        #expect(outside.status == 403)
        #expect(outside.error == "Token lacks read permission on user")
        await device.udp.close()
        await client.close()
        await server.stop()
    }

    @Test func deployClaimsTheIDForTheDevicesKey() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Tool.mint("deploy", "device:rw", server)
        let uuid = Messages.newUUID()
        let pk = Messages.newPk()
        func deploy(_ id: String, uuid: String, pk: String) async throws -> RustDeskAPIClient.Answer {
            try await client.call(
                "POST", "/api/devices/deploy", token: token,
                json: #"{"id":"\#(id)","uuid":"\#(uuid)","pk":"\#(pk)"}"#)
        }
        let uuid64 = Base64.encode(Array(uuid.utf8))
        let ok = try await deploy("deployed1", uuid: uuid64, pk: Base64.encode(pk))
        #expect(ok.status == 200)
        #expect(ok.object?["result"] as? String == "OK")
        #expect(server.hbbs.services.tables.registry.peer("deployed1")?.pk == pk)
        #expect(try await server.store.peer(id: "deployed1")?.pk == pk)
        // Deploying again is harmless; another device cannot take the ID.
        #expect(try await deploy("deployed1", uuid: uuid64, pk: Base64.encode(pk)).object?["result"] as? String == "OK")
        let other = Base64.encode(Array(Messages.newUUID().utf8))
        #expect(
            try await deploy("deployed1", uuid: other, pk: Base64.encode(pk)).object?["result"] as? String == "ID_TAKEN"
        )
        for (id, pkText) in [("deployed2", "c2hvcnQ="), ("no", Base64.encode(pk)), ("bad id!", Base64.encode(pk))] {
            #expect(try await deploy(id, uuid: uuid64, pk: pkText).object?["result"] as? String == "INVALID_INPUT")
        }

        // The device then registers under the deployed ID with its own key.
        let udp = try await UDPTestPeer()
        try await udp.send(Messages.registerPk("deployed1", uuid: uuid, pk: pk), to: server.rendezvousPort)
        #expect(try await udp.receive().registerPkResponse.result == .ok)
        await udp.close()

        let reader = try await Tool.mint("reader", "device:r", server)
        let refused = try await client.call(
            "POST", "/api/devices/deploy", token: reader,
            json: #"{"id":"deployed3","uuid":"\#(uuid64)","pk":"\#(Base64.encode(pk))"}"#)
        #expect(refused.status == 403)
        await client.close()
        await server.stop()
    }
}
