import APICore
import Foundation
import TestSupport
import Testing

/// http-api.md §5 through real HTTP: the client's group tab for an administrator and for members of
/// a user group, with devices registered over UDP, bound at login and described by their sysinfo.
@Suite struct GroupTabRouteTests {
    /// Two users in `team`, one in `other`, one without one (so in `Default`); each logs in from their own device.
    struct Fleet {
        let server: APITestServer
        let devices: [String: RegisteredTestDevice]
        let unowned: RegisteredTestDevice

        static func make() async throws -> Fleet {
            let server = try await APITestServer()
            try await server.addUser("alice", group: "team")
            try await server.addUser("bob", group: "team")
            try await server.addUser("carol", group: "other")
            try await server.addUser("dave")
            let lab = try await server.deviceService.createDeviceGroup(name: "Lab")
            var devices: [String: RegisteredTestDevice] = [:]
            let client = try await server.client()
            for name in ["alice", "bob", "carol", "dave"] {
                let device = try await server.registerDevice()
                devices[name] = device
                #expect(
                    try await client.login(name, "user-secret-1", id: device.id, uuid: device.uuidBase64).status == 200)
                #expect(
                    try await client.sysinfo(device, hostname: "\(name)-pc", username: name).body == "SYSINFO_UPDATED")
            }
            let alices = try #require(devices["alice"])
            try await server.deviceService.assignDeviceGroup(lab.id, toDevice: alices.id)
            let unowned = try await server.registerDevice()
            #expect(try await client.sysinfo(unowned, hostname: "kiosk").body == "SYSINFO_UPDATED")
            await client.close()
            return Fleet(server: server, devices: devices, unowned: unowned)
        }
    }

    @Test func aDeviceLoggedInFromShowsUpUnderItsOwner() async throws {
        let fleet = try await Fleet.make()
        let client = try await fleet.server.client()
        let token = try await client.token("alice", "user-secret-1")
        let alices = try #require(fleet.devices["alice"])

        let peers = try await client.call("GET", "/api/peers?current=1&pageSize=100&accessible=&status=1", token: token)
        #expect(peers.status == 200)
        #expect(peers.contentType == "application/json; charset=utf-8")
        let object = try #require(peers.object)
        let data = try #require(object["data"] as? [[String: any Sendable]])
        let mine = try #require(data.first { $0["id"] as? String == alices.id })
        #expect(mine["user_name"] as? String == "alice")
        #expect(mine["user"] as? String == "alice")
        #expect(mine["device_group_name"] as? String == "Lab")
        #expect(mine["status"] as? Int == 1)
        let info = try #require(mine["info"] as? [String: String])
        #expect(info == ["username": "alice", "os": "linux / Debian GNU/Linux 12", "device_name": "alice-pc"])
        await client.close()
        await fleet.server.stop()
    }

    @Test func administratorSeesEveryUserAndDeviceIncludingUnowned() async throws {
        let fleet = try await Fleet.make()
        let client = try await fleet.server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)

        let users = try #require(
            try await client.call("GET", "/api/users?current=1&pageSize=100&accessible=&status=1", token: token).object)
        #expect(users["total"] as? Int == 5)
        let names = (users["data"] as? [[String: any Sendable]])?.compactMap { $0["name"] as? String }
        #expect(names == ["admin", "alice", "bob", "carol", "dave"])

        let peers = try #require(
            try await client.call("GET", "/api/peers?current=1&pageSize=100&accessible=&status=1", token: token).object)
        #expect(peers["total"] as? Int == 5)
        let ids = Set((peers["data"] as? [[String: any Sendable]])?.compactMap { $0["id"] as? String } ?? [])
        #expect(ids == Set(fleet.devices.values.map(\.id) + [fleet.unowned.id]))
        let kiosk = (peers["data"] as? [[String: any Sendable]])?.first { $0["id"] as? String == fleet.unowned.id }
        #expect(kiosk?["user_name"] as? String == "")

        let groups = try #require(
            try await client.call("GET", "/api/device-group/accessible?current=1&pageSize=100", token: token).object)
        #expect(groups["total"] as? Int == 1)
        #expect((groups["data"] as? [[String: String]]) == [["name": "Lab"]])
        await client.close()
        await fleet.server.stop()
    }

    @Test func aMemberSeesTheirGroupOnly() async throws {
        let fleet = try await Fleet.make()
        let client = try await fleet.server.client()
        let token = try await client.token("bob", "user-secret-1")

        let users = try #require(
            try await client.call("GET", "/api/users?current=1&pageSize=100&accessible=&status=1", token: token).object)
        let names = (users["data"] as? [[String: any Sendable]])?.compactMap { $0["name"] as? String }
        #expect(names == ["alice", "bob"])
        #expect(users["total"] as? Int == 2)

        let peers = try #require(
            try await client.call("GET", "/api/peers?current=1&pageSize=100&accessible=&status=1", token: token).object)
        let owners = (peers["data"] as? [[String: any Sendable]])?.compactMap { $0["user_name"] as? String }
        #expect(owners.map { Set($0) } == ["alice", "bob"])
        #expect(peers["total"] as? Int == 2)

        // The group tab's device groups: those of the devices bob may see.
        let groups = try #require(
            try await client.call("GET", "/api/device-group/accessible?current=1&pageSize=100", token: token).object)
        #expect((groups["data"] as? [[String: String]]) == [["name": "Lab"]])

        // Carol's group cannot see Lab (alice's device).
        let carol = try await client.token("carol", "user-secret-1")
        let theirs = try #require(try await client.call("GET", "/api/device-group/accessible", token: carol).object)
        #expect(theirs["total"] as? Int == 0)
        await client.close()
        await fleet.server.stop()
    }

    /// Dave was made without a group, so he is in `Default`, with the administrator (who owns no device).
    @Test func aUserInTheDefaultGroupSeesItsMembersAndPOSTWorksToo() async throws {
        let fleet = try await Fleet.make()
        let client = try await fleet.server.client()
        let token = try await client.token("dave", "user-secret-1")
        let daves = try #require(fleet.devices["dave"])
        for method in ["GET", "POST"] {
            let users = try #require(
                try await client.call(method, "/api/users?current=1&pageSize=100", token: token).object)
            let names = (users["data"] as? [[String: any Sendable]])?.compactMap { $0["name"] as? String }
            #expect(names == ["admin", "dave"])
            let peers = try #require(
                try await client.call(method, "/api/peers?current=1&pageSize=100", token: token).object)
            #expect((peers["data"] as? [[String: any Sendable]])?.compactMap { $0["id"] as? String } == [daves.id])
        }
        await client.close()
        await fleet.server.stop()
    }

    @Test(arguments: [
        ("pageSize=0", 1), ("pageSize=-5", 1), ("pageSize=1000000000", 5), ("current=-1&pageSize=2", 2),
        ("current=99999999999999999999&pageSize=2", 2), ("current=3&pageSize=2", 1),
        ("current=1000000000&pageSize=2", 0),
        ("current=x&pageSize=y", 5),
    ])
    func absurdPaginationIsClamped(_ query: String, _ expectedCount: Int) async throws {
        let fleet = try await Fleet.make()
        let client = try await fleet.server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        let answer = try await client.call("GET", "/api/users?\(query)", token: token)
        #expect(answer.status == 200)
        let object = try #require(answer.object)
        #expect(object["total"] as? Int == 5)
        #expect((object["data"] as? [any Sendable])?.count == expectedCount)
        await client.close()
        await fleet.server.stop()
    }

    @Test(arguments: ["/api/users", "/api/peers", "/api/device-group/accessible"])
    func groupTabNeedsAToken(_ path: String) async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        for token in [nil, "forged"] as [String?] {
            let answer = try await client.call("GET", "\(path)?current=1&pageSize=100", token: token)
            #expect(answer.status == 401)
            #expect(answer.error == "Invalid token")
            #expect(answer.error != "Admin required!")
        }
        await client.close()
        await server.stop()
    }
}
