import APICore
import Foundation
import TestSupport
import Testing

/// http-api.md §2 through real HTTP against hbbs with devices registered over real UDP: heartbeat,
/// sysinfo, sysinfo_ver, strategies pushed through the heartbeat, and queued disconnects.
@Suite struct DeviceSyncRouteTests {
    @Test func heartbeatAsksForSysinfoUntilItIsUploaded() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()

        let first = try await client.heartbeat(device)
        #expect(first.status == 200)
        #expect(first.contentType == "application/json; charset=utf-8")
        #expect(first.body == #"{"sysinfo":true}"#)

        let upload = try await client.sysinfo(device)
        #expect(upload.status == 200)
        #expect(upload.body == "SYSINFO_UPDATED")
        #expect(upload.contentType == "text/plain; charset=utf-8")

        let second = try await client.heartbeat(device)
        #expect(second.status == 200)
        #expect(second.body == "{}")

        let stored = try #require(try await server.deviceService.device(id: device.id))
        #expect(stored.sysinfo?.hostname == "build-box")
        #expect(stored.sysinfo?.os == "linux / Debian GNU/Linux 12")
        #expect(stored.sysinfo?.version == "1.4.9")
        #expect(stored.sysinfo?.raw.contains(#""cpu":"AMD Ryzen 7"#) == true)
        #expect(stored.lastHeartbeatAt == server.wallClock.seconds)
        #expect(stored.uuid == device.uuidBase64)
        await client.close()
        await server.stop()
    }

    /// A database that no longer takes writes: the routes answer 503 with the short text, both the
    /// fast path and the router (a chunked body), and sysinfo the same.
    @Test func aStoreThatFailsAnswers503WithoutInternals() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        await server.store.shutdown()
        let busy = #"{"error":"Server busy, please try again"}"#
        let beat = try await client.heartbeat(device)
        #expect(beat.status == 503)
        #expect(beat.body == busy)
        let http = try await HTTPTestClient.connect(port: server.apiPort)
        try await http.sendRaw(
            HeartbeatFastPathTests.request(HeartbeatFastPathTests.body(device), chunked: true))
        let routed = try await http.response()
        #expect(routed.status == 503)
        #expect(routed.text == busy)
        let upload = try await client.sysinfo(device)
        #expect(upload.status == 503)
        #expect(upload.body == busy)
        await http.close()
        await client.close()
        await server.stop()
    }

    @Test func heartbeatTimeIsRecordedOnEveryBeat() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        _ = try await client.sysinfo(device)
        _ = try await client.heartbeat(device)
        server.wallClock.advance(seconds: 15)
        #expect(try await client.heartbeat(device).body == "{}")
        #expect(try await server.deviceService.device(id: device.id)?.lastHeartbeatAt == server.wallClock.seconds)
        await client.close()
        await server.stop()
    }

    @Test func unknownOrMismatchedDevicesGetIDNotFoundAndNothingToDo() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let impostor = RegisteredTestDevice(id: device.id, uuidBase64: Data("other-uuid".utf8).base64EncodedString())
        let stranger = RegisteredTestDevice(id: "987654321", uuidBase64: device.uuidBase64)

        let empty = try await client.call("POST", "/api/sysinfo")
        #expect(empty.body == "ID_NOT_FOUND")
        for unknown in [impostor, stranger] {
            let upload = try await client.sysinfo(unknown)
            #expect(upload.status == 200)
            #expect(upload.body == "ID_NOT_FOUND")
            let beat = try await client.heartbeat(unknown)
            #expect(beat.status == 200)
            #expect(beat.body == "{}")
        }
        // Neither created a row nor touched the real device's.
        #expect(try await server.deviceService.device(id: device.id) == nil)
        #expect(try await server.deviceService.device(id: stranger.id) == nil)
        await client.close()
        await server.stop()
    }

    @Test func strategyIsPushedOnceAndDroppedWhenUnassigned() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        _ = try await client.sysinfo(device)
        let service = server.deviceService
        let strategy = try await service.createStrategy(
            name: "locked", options: ["enable-file-transfer": "N", "approve-mode": "password"],
            extra: ["note": "x"])
        try await service.assignStrategy(strategy.id, toDevice: device.id)

        let pushed = try #require(try await client.heartbeat(device).object)
        let stamp = try #require((pushed["modified_at"] as? Int).map(Int64.init))
        #expect(stamp == strategy.modifiedAt)
        let body = try #require(pushed["strategy"] as? [String: any Sendable])
        #expect(
            body["config_options"] as? [String: String] == ["enable-file-transfer": "N", "approve-mode": "password"])
        #expect(body["extra"] as? [String: String] == ["note": "x"])

        // The client now holds the stamp: nothing more to do.
        #expect(try await client.heartbeat(device, modifiedAt: stamp).body == "{}")

        // A change moves the stamp, so it is pushed again.
        let changed = try await service.updateStrategy(strategy.id, options: ["approve-mode": "click"])
        #expect(changed.modifiedAt > stamp)
        let again = try #require(try await client.heartbeat(device, modifiedAt: stamp).object)
        #expect(again["modified_at"] as? Int == Int(changed.modifiedAt))
        let options = (again["strategy"] as? [String: any Sendable])?["config_options"] as? [String: String]
        // The key the strategy no longer sets is cleared ("" = back to the client's default).
        #expect(options == ["approve-mode": "click", "enable-file-transfer": ""])

        // Unassigned: stamp 0 and every managed option cleared.
        try await service.assignStrategy(nil, toDevice: device.id)
        let dropped = try #require(try await client.heartbeat(device, modifiedAt: changed.modifiedAt).object)
        #expect(dropped["modified_at"] as? Int == 0)
        let cleared = (dropped["strategy"] as? [String: any Sendable])?["config_options"] as? [String: String]
        #expect(cleared == ["approve-mode": "", "enable-file-transfer": ""])
        #expect(try await client.heartbeat(device, modifiedAt: 0).body == "{}")
        await client.close()
        await server.stop()
    }

    @Test func ownersStrategyAppliesAndADisabledStrategyManagesNothing() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let alice = try await server.addUser("alice")
        _ = try await client.login("alice", "user-secret-1", id: device.id, uuid: device.uuidBase64)
        let service = server.deviceService
        let strategy = try await service.createStrategy(
            name: "team", options: ["allow-remote-config-modification": "N"])
        try await service.assignStrategy(strategy.id, toUser: alice.id)
        let pushed = try #require(try await client.heartbeat(device).object)
        #expect(pushed["modified_at"] as? Int == Int(strategy.modifiedAt))

        let disabled = try await service.updateStrategy(strategy.id, enabled: false)
        let dropped = try #require(try await client.heartbeat(device, modifiedAt: strategy.modifiedAt).object)
        #expect(dropped["modified_at"] as? Int == 0)
        #expect(!disabled.enabled)
        await client.close()
        await server.stop()
    }

    @Test func disconnectRequestIsDeliveredOnce() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        _ = try await client.sysinfo(device)
        #expect(server.deviceService.requestDisconnect(deviceID: device.id, connIDs: [7, 9, 7]))
        let answer = try await client.heartbeat(device, conns: [7, 9])
        #expect(answer.object?["disconnect"] as? [Int] == [7, 9])
        #expect(try await client.heartbeat(device, conns: [7, 9]).body == "{}")
        await client.close()
        await server.stop()
    }

    @Test func sysinfoVersionChangesOnlyWhenStoredSysinfoChanges() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let initial = try await client.call("POST", "/api/sysinfo_ver")
        #expect(initial.status == 200)
        #expect(initial.contentType == "text/plain; charset=utf-8")
        #expect(initial.body.hasPrefix("\(server.deviceService.startedAt)-"))

        _ = try await client.sysinfo(device)
        let afterUpload = try await client.call("POST", "/api/sysinfo_ver").body
        #expect(afterUpload != initial.body)
        _ = try await client.sysinfo(device)
        #expect(try await client.call("POST", "/api/sysinfo_ver").body == afterUpload)
        _ = try await client.sysinfo(device, hostname: "renamed")
        #expect(try await client.call("POST", "/api/sysinfo_ver").body != afterUpload)
        await client.close()
        await server.stop()
    }

    @Test func sysinfoSurvivesARestart() async throws {
        let directory = try TemporaryDirectory()
        let first = try await APITestServer(directory: directory)
        let device = try await first.registerDevice()
        let client = try await first.client()
        _ = try await client.sysinfo(device)
        await client.close()
        await first.stop()

        let second = try await APITestServer(directory: directory)
        let again = try await second.client()
        #expect(try await again.heartbeat(device).body == "{}")
        await again.close()
        await second.stop()
    }

    @Test func malformedBodiesAre400() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        for path in ["/api/heartbeat", "/api/sysinfo"] {
            let answer = try await client.call("POST", path, json: "{not json")
            #expect(answer.status == 400)
            #expect(answer.error == "Invalid request body")
            let array = try await client.call("POST", path, json: "[1,2]")
            #expect(array.status == 400)
        }
        await client.close()
        await server.stop()
    }

    @Test func wrongTypesAndUnknownFieldsAreTolerated() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let answer = try await client.call(
            "POST", "/api/heartbeat",
            json:
                #"{"id":"\#(device.id)","uuid":"\#(device.uuidBase64)","ver":"x","conns":"no","modified_at":null,"new":[1]}"#,
            contentType: nil)
        #expect(answer.status == 200)
        #expect(answer.body == #"{"sysinfo":true}"#)
        await client.close()
        await server.stop()
    }

    @Test(arguments: ["/api/sysinfo", "/api/heartbeat"])
    func oversizedBodiesAre413(_ path: String) async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        try await client.http.sendRaw("POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n{")
        #expect(try await client.http.response().status == 413)
        await client.close()

        // sysinfo is kept small: 20 KiB of real JSON is refused too.
        if path == "/api/sysinfo" {
            let big = try await server.client()
            let padding = String(repeating: "a", count: 20 * 1024)
            let answer = try await big.call("POST", path, json: #"{"cpu":"\#(padding)"}"#)
            #expect(answer.status == 413)
            await big.close()
        }
        await server.stop()
    }
}

/// The deployment presets of a sysinfo upload (http-api.md §2.2).
@Suite struct SysinfoPresetTests {
    @Test func presetsFillUnsetFieldsAndOverrideTheReportedNames() async throws {
        let server = try await APITestServer()
        let bob = try await server.addUser("bob")
        try await server.addUser("alice")
        let strict = try await server.deviceService.createStrategy(name: "Strict", options: ["enable-audio": "N"])
        let device = try await server.registerDevice()
        let client = try await server.client()
        let upload = try await client.sysinfo(
            device,
            extra: [
                "preset-user-name": "bob", "preset-strategy-name": "STRICT", "preset-device-group-name": "Branch",
                "preset-note": "front desk", "preset-device-username": "kiosk-user", "preset-device-name": "kiosk-01",
                "preset-address-book-name": "Shared", "preset-address-book-tag": "kiosks",
            ])
        #expect(upload.body == "SYSINFO_UPDATED")
        let stored = try #require(try await server.deviceService.device(id: device.id))
        let branch = try #require(try await server.deviceService.store.deviceGroup(named: "Branch"))
        #expect(stored.ownerID == bob.id)
        #expect(stored.strategyID == strict.id)
        #expect(stored.groupID == branch.id)
        #expect(stored.note == "front desk")
        #expect(stored.sysinfo?.username == "kiosk-user")
        #expect(stored.sysinfo?.hostname == "kiosk-01")
        // The address-book presets are kept in the raw text for the address-book area.
        #expect(stored.sysinfo?.raw.contains(#""preset-address-book-name":"Shared""#) == true)
        let beat = try #require(try await client.heartbeat(device).object)
        #expect(beat["sysinfo"] == nil)
        #expect(beat["modified_at"] as? Int == Int(strict.modifiedAt))

        // A later upload with other presets does not undo what is set.
        let second = try await client.sysinfo(
            device,
            extra: ["preset-user-name": "alice", "preset-device-group-name": "Other", "preset-note": "changed"])
        #expect(second.body == "SYSINFO_UPDATED")
        let after = try #require(try await server.deviceService.device(id: device.id))
        #expect(after.ownerID == bob.id)
        #expect(after.groupID == branch.id)
        #expect(after.note == "front desk")
        #expect(after.sysinfo?.username == "alice")
        #expect(try await server.deviceService.store.deviceGroup(named: "Other") == nil)
        await client.close()
        await server.stop()
    }

    @Test func unknownPresetNamesAreIgnored() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let upload = try await client.sysinfo(
            device, extra: ["preset-user-name": "nobody", "preset-strategy-name": "missing"])
        #expect(upload.body == "SYSINFO_UPDATED")
        let stored = try #require(try await server.deviceService.device(id: device.id))
        #expect(stored.ownerID == nil)
        #expect(stored.strategyID == nil)
        await client.close()
        await server.stop()
    }
}
