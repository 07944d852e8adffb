import APICore
import Foundation
import RendezvousProtocol
import RustDeskCore
import TestSupport
import Testing

/// hbbs's connection policy through the rendezvous protocol (issue 13 item 5): a disabled device, an
/// access rule and MUST_LOGIN each refuse a PunchHoleRequest with the `other_failure` text a client
/// shows, and a RequestRelay with `refuse_reason`; each refusal is counted and audited.
@Suite struct ConnectionPolicyTests {
    typealias Tool = APITokenTests

    /// A device registered over UDP whose socket stays open, so a request that gets through reaches it.
    struct LiveDevice {
        let id: String
        let uuid: String
        let udp: UDPTestPeer
        var registered: RegisteredTestDevice {
            RegisteredTestDevice(id: id, uuidBase64: Data(uuid.utf8).base64EncodedString())
        }

        static func register(with server: APITestServer) async throws -> LiveDevice {
            let (id, uuid) = (Messages.newID(), Messages.newUUID())
            let udp = try await UDPTestPeer()
            try await udp.send(Messages.registerPk(id, uuid: uuid, pk: Messages.newPk()), to: server.rendezvousPort)
            #expect(try await udp.receive().registerPkResponse.result == .ok)
            return LiveDevice(id: id, uuid: uuid, udp: udp)
        }
    }

    static func punch(_ id: String, token: String = "", _ server: APITestServer) async throws -> TCPTestClient {
        let requester = try await TCPTestClient(port: server.rendezvousPort)
        try await requester.send(
            .with {
                $0.punchHoleRequest = .with {
                    $0.id = id
                    $0.natType = .asymmetric
                    $0.token = token
                    $0.version = "1.4.9"
                }
            })
        return requester
    }

    /// The `other_failure` the requester is answered with (the device is told nothing then).
    static func refusal(to device: LiveDevice, token: String = "", _ server: APITestServer) async throws -> String {
        let requester = try await punch(device.id, token: token, server)
        defer { Task { await requester.close() } }
        return try await requester.receive().punchHoleResponse.otherFailure
    }

    /// Whether the request reached the device: on one host it is asked for its LAN address (hbbs.md §8)
    /// with the requester's address; the requester waits for its answer.
    static func reaches(_ device: LiveDevice, token: String = "", _ server: APITestServer) async throws -> Bool {
        let requester = try await punch(device.id, token: token, server)
        defer { Task { await requester.close() } }
        let fetch = try await device.udp.receive().fetchLocalAddr
        return AddrMangle.decode(fetch.socketAddr).port == requester.localAddress?.port
    }

    @Test func disabledDeviceIsRefusedCountedAndAudited() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let device = try await LiveDevice.register(with: server)
        _ = try await client.sysinfo(device.registered, hostname: "kiosk", username: "front")
        let token = try await Tool.mint("devices", "device:rw,audit:r", server)
        let guid = try await AdminDeviceChangeTests.guid(of: device.id, client, token)
        #expect(try await Self.reaches(device, server))

        #expect(try await client.call("POST", "/api/devices/\(guid)/disable", token: token).status == 200)
        #expect(try await Self.refusal(to: device, server) == ConnectionRules.Refusal.deviceDisabled.message)
        let relay = try await TCPTestClient(port: server.rendezvousPort)
        try await relay.send(
            .with {
                $0.requestRelay = .with {
                    $0.id = device.id; $0.uuid = Messages.newUUID()
                }
            })
        #expect(try await relay.receive().relayResponse.refuseReason == ConnectionRules.Refusal.deviceDisabled.message)
        await relay.close()
        #expect(server.metric("hbbs_policy_refusals_total", ["reason": "device_disabled"]) == 2)
        #expect(server.metric("hbbs_punch_hole_requests_total", ["outcome": "refused"]) == 1)
        // The disabled device itself still registers as before.
        try await device.udp.send(Messages.registerPeer(device.id), to: server.rendezvousPort)
        #expect(try await device.udp.receive().registerPeerResponse.requestPk == false)

        var alarms: [[String: any Sendable]] = []
        // The audit record is written after the refusal is answered.
        #expect(
            await poll(timeout: .seconds(15)) {
                let answer = try? await client.call("GET", "/api/audits/alarm?device=\(device.id)", token: token)
                alarms = answer?.object?["data"] as? [[String: any Sendable]] ?? []
                return alarms.count == 2
            })
        #expect(alarms.first?["typ"] as? Int == 100)

        #expect(try await client.call("POST", "/api/devices/\(guid)/enable", token: token).status == 200)
        #expect(try await Self.reaches(device, server))
        await device.udp.close()
        await client.close()
        await server.stop()
    }

    @Test func mustLoginRefusesRequestsWithoutALiveSession() async throws {
        let server = try await APITestServer(mustLogin: true)
        let client = try await server.client()
        let device = try await LiveDevice.register(with: server)
        let message = ConnectionRules.Refusal.mustLogin.message
        #expect(try await Self.refusal(to: device, server) == message)
        #expect(try await Self.refusal(to: device, token: "not-a-session", server) == message)
        let session = try await client.token("admin", APITestServer.adminPassword)
        #expect(try await Self.reaches(device, token: session, server))
        #expect(try await client.call("POST", "/api/logout", token: session).status == 200)
        #expect(try await Self.refusal(to: device, token: session, server) == message)
        #expect(server.metric("hbbs_policy_refusals_total", ["reason": "must_login"]) == 3)
        await device.udp.close()
        await client.close()
        await server.stop()
    }

    /// erin (ops) owns the device. Without rules anyone reaches it; once a rule exists, bob (sales) is
    /// refused, carol (support, allowed in by ops's incoming rule) and erin get through, and a device
    /// group's incoming rule naming bob lets him in too.
    @Test func accessRulesBindLoggedInUsers() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let device = try await LiveDevice.register(with: server)
        _ = try await client.sysinfo(device.registered, hostname: "ops-pc", username: "erin")
        let erin = try await server.addUser("erin", group: "ops")
        _ = try await server.addUser("bob", group: "sales")
        _ = try await server.addUser("carol", group: "support")
        try await server.deviceService.assignOwner(erin.id, toDevice: device.id)
        let bob = try await client.token("bob", "user-secret-1")
        let carol = try await client.token("carol", "user-secret-1")
        let erinToken = try await client.token("erin", "user-secret-1")
        #expect(try await Self.reaches(device, token: bob, server))

        let admin = try await Tool.mint("groups", "user_group:rw,device_group:rw,device:rw,user:r", server)
        let groups = try await client.call("GET", "/api/user-groups?name=ops", token: admin)
        let ops = try #require((groups.object?["data"] as? [[String: any Sendable]])?.first?["guid"] as? String)
        let rule = #"{"allowed_incomings":[{"type":0,"name":"support"}]}"#
        #expect(try await client.call("PATCH", "/api/user-groups/\(ops)", token: admin, json: rule).status == 200)
        let denied = ConnectionRules.Refusal.accessRule.message
        #expect(try await Self.refusal(to: device, token: bob, server) == denied)
        #expect(try await Self.reaches(device, token: carol, server))
        #expect(try await Self.reaches(device, token: erinToken, server))
        // Not logged in: rules bind logged-in users only (MUST_LOGIN is what refuses the rest).
        #expect(try await Self.reaches(device, server))

        let lab = #"{"name":"Lab","allowed_incomings":[{"type":2,"name":"bob"}]}"#
        #expect(try await client.call("POST", "/api/device-groups", token: admin, json: lab).status == 200)
        let labs = try await client.call("GET", "/api/device-groups?name=Lab", token: admin)
        let labGUID = try #require((labs.object?["data"] as? [[String: any Sendable]])?.first?["guid"] as? String)
        let members = "[\"\(device.id)\"]"
        #expect(
            try await client.call("POST", "/api/device-groups/\(labGUID)", token: admin, json: members).status == 200)
        #expect(try await Self.reaches(device, token: bob, server))
        #expect(server.metric("hbbs_policy_refusals_total", ["reason": "access_rule"]) == 1)
        await device.udp.close()
        await client.close()
        await server.stop()
    }
}
