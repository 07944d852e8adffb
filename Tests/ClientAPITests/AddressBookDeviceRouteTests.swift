import APICore
import Foundation
import Testing

/// The address books and the devices over real HTTP and UDP: a sysinfo's address-book presets put
/// the device into a shared book, and book lists fill a peer's names from what its device reported.
@Suite struct AddressBookDeviceRouteTests {
    @Test func sysinfoPresetsPutTheDeviceIntoTheSharedBook() async throws {
        let server = try await APITestServer()
        let admin = try await server.adminUser()
        let book = try await server.books.createSharedBook(ownerID: admin.id, name: "Branch Office")
        let device = try await server.registerDevice()
        let client = try await server.client()
        let presets = [
            "preset-address-book-name": "Branch Office", "preset-address-book-tag": "kiosks",
            "preset-address-book-alias": "front desk", "preset-address-book-password": "shared-pw",
            "preset-address-book-note": "deployed by script",
        ]
        // A re-upload (every hbbs restart causes one) leaves one peer.
        for _ in 0..<2 {
            #expect(try await client.sysinfo(device, hostname: "kiosk-01", extra: presets).body == "SYSINFO_UPDATED")
        }

        let token = try await client.token("admin", APITestServer.adminPassword)
        let peers = try await client.bookPeers(token, book.guid)
        #expect(peers.status == 200)
        #expect(peers.object?["total"] as? Int == 1)
        let peer = try #require(client.peerObjects(peers).first)
        #expect(peer["id"] as? String == device.id)
        #expect(peer["tags"] as? [String] == ["kiosks"])
        #expect(peer["alias"] as? String == "front desk")
        #expect(peer["note"] as? String == "deployed by script")
        #expect(peer["password"] as? String == "shared-pw")
        #expect(peer["hostname"] as? String == "kiosk-01")
        #expect(peer["platform"] as? String == "Linux")
        #expect(peer["same_server"] as? Bool == true)
        let tags = try await client.call("POST", "/api/ab/tags/\(book.guid)", token: token)
        #expect(
            client.tagPairs(tags) == [.init(name: "kiosks", color: Int(AddressBookTag.defaultColor(for: "kiosks")))])
        await client.close()
        await server.stop()
    }

    @Test func listsShowTheNamesDevicesReported() async throws {
        let server = try await APITestServer()
        try await server.bookUser("bob")
        let reported = try await server.registerDevice()
        let later = try await server.registerDevice()
        let client = try await server.client()
        #expect(try await client.sysinfo(reported, hostname: "build-box", username: "alice").body == "SYSINFO_UPDATED")
        let token = try await client.token("bob", "pw-bob")
        let guid = try await client.personalGUID(token)
        // Added with only id and alias: filled from the device table as it is added.
        for id in [reported.id, later.id] {
            let add = try await client.call(
                "POST", "/api/ab/peer/add/\(guid)", token: token, json: #"{"id":"\#(id)","alias":"box"}"#)
            #expect(add.status == 200)
        }
        // This one reports after it was added: filled as it is listed.
        #expect(try await client.sysinfo(later, hostname: "laptop", username: "carol").body == "SYSINFO_UPDATED")

        let expected = [reported.id: ["alice", "build-box", "Linux"], later.id: ["carol", "laptop", "Linux"]]
        let listed = client.peerObjects(try await client.bookPeers(token, guid))
        #expect(Self.names(listed) == expected)
        for (method, path) in [("GET", "/api/ab"), ("POST", "/api/ab/get")] {
            let answer = try await client.call(method, path, token: token, json: method == "GET" ? nil : "{}")
            let document = try #require(LegacyAddressBookRouteTests.document(answer))
            let peers = try #require(document["peers"] as? [[String: any Sendable]])
            #expect(Self.names(peers) == expected, "\(path)")
        }
        await client.close()
        await server.stop()
    }

    /// username, hostname and platform by peer id.
    static func names(_ peers: [[String: any Sendable]]) -> [String: [String]] {
        var names: [String: [String]] = [:]
        for peer in peers {
            guard let id = peer["id"] as? String else { continue }
            names[id] = ["username", "hostname", "platform"].map { peer[$0] as? String ?? "?" }
        }
        return names
    }
}
