import APICore
import Foundation
import Logging
import PeerStore
import Synchronization
import TestSupport
import Testing

/// `DeviceService` over the real SQLite store without HTTP: the heartbeat's cost (one write per
/// resolution, no reads), the address-book preset hook, binding at login, and many devices at once.
@Suite struct DeviceServiceTests {
    /// A registry that knows the given id → base64 uuid pairs.
    struct KnownDevices: RegisteredDevices {
        let uuids: [String: String]
        func isRegistered(id: String) -> Bool { uuids[id] != nil }
        func matches(id: String, uuidBase64: String) -> Bool { uuids[id] == uuidBase64 }
        func isOnline(id: String) -> Bool { uuids[id] != nil }
    }

    struct Harness {
        let directory: TemporaryDirectory
        let peers: SQLitePeerStore
        let counting: CountingDeviceStore
        let service: DeviceService
        let clock = WallClock()

        init(
            devices: [String: String],
            addressBookPresets: @escaping @Sendable (String, AddressBookPreset) async -> Void = { _, _ in }
        ) throws {
            directory = try TemporaryDirectory()
            peers = try SQLitePeerStore(location: DatabaseLocation(path: directory.file("db_v2.sqlite3")))
            counting = CountingDeviceStore(base: peers.apiStore)
            var logger = Logger(label: "test-devices")
            logger.logLevel = .critical
            service = DeviceService(
                store: counting, users: peers.apiStore, registered: KnownDevices(uuids: devices),
                clock: APIClock { [clock] in clock.seconds }, addressBookPresets: addressBookPresets, logger: logger)
        }

        func stop() async { await peers.shutdown() }
    }

    @Test func heartbeatsWriteTheirTimeOncePerResolutionAndNeverRead() async throws {
        let harness = try Harness(devices: ["111": "dXVpZA=="])
        let service = harness.service
        let beat = Heartbeat(id: "111", uuid: "dXVpZA==")
        _ = try await service.uploadSysinfo(
            SysinfoUpload(id: "111", uuid: "dXVpZA==", sysinfo: DeviceSysinfo(hostname: "h", raw: "{}")))
        let start = harness.clock.seconds
        harness.counting.reset()
        // The first beat since start writes; the next ones within the resolution stay in memory.
        for _ in 0..<20 {
            #expect(try await service.heartbeat(beat) == .nothing)
            harness.clock.advance(seconds: 1)
        }
        #expect(harness.counting.calls == ["recordHeartbeat": 1])
        #expect(try await harness.peers.apiStore.device(id: "111")?.lastHeartbeatAt == start)
        #expect(try await service.device(id: "111")?.lastHeartbeatAt == start + 19)
        // Once the stored time is a resolution old, the next beat writes again.
        harness.clock.advance(seconds: service.heartbeatResolution - 20)
        _ = try await service.heartbeat(beat)
        #expect(harness.counting.calls["recordHeartbeat"] == 2)
        #expect(try await harness.peers.apiStore.device(id: "111")?.lastHeartbeatAt == harness.clock.seconds)
        // A clock that went back writes too, rather than keep a stored time in the future.
        harness.clock.advance(seconds: -3600)
        _ = try await service.heartbeat(beat)
        #expect(harness.counting.calls["recordHeartbeat"] == 3)
        await harness.stop()
    }

    @Test func theFastPathsHeartbeatAnswersAtOnceWhenNothingIsWritten() async throws {
        let harness = try Harness(devices: ["111": "dXVpZA=="])
        let beat = Heartbeat(id: "111", uuid: "dXVpZA==")
        _ = try await harness.service.heartbeat(beat)
        harness.counting.reset()
        let answered = Mutex<HeartbeatAnswer?>(nil)
        harness.service.heartbeat(beat) { result in answered.withLock { $0 = try? result.get() } }
        // Called before returning: no write, no hop.
        #expect(answered.withLock { $0 } == HeartbeatAnswer(needsSysinfo: true, disconnect: [], strategy: nil))
        #expect(harness.counting.calls.isEmpty)
        await harness.stop()
    }

    @Test func aHeartbeatFromAnUnknownDeviceCostsNothing() async throws {
        let harness = try Harness(devices: ["111": "dXVpZA=="])
        _ = try await harness.service.heartbeat(Heartbeat(id: "111", uuid: "dXVpZA=="))
        harness.counting.reset()
        #expect(try await harness.service.heartbeat(Heartbeat(id: "111", uuid: "b3RoZXI=")) == .nothing)
        #expect(try await harness.service.heartbeat(Heartbeat(id: "", uuid: "")) == .nothing)
        #expect(harness.counting.calls.isEmpty)
        await harness.stop()
    }

    @Test func addressBookPresetsReachTheHook() async throws {
        let received = Mutex<[(String, AddressBookPreset)]>([])
        let harness = try Harness(devices: ["222": "dXVpZA=="]) { id, preset in
            received.withLock { $0.append((id, preset)) }
        }
        let preset = AddressBookPreset(name: "Shared", tag: "t", alias: "a", password: "p", note: "n")
        let outcome = try await harness.service.uploadSysinfo(
            SysinfoUpload(
                id: "222", uuid: "dXVpZA==", sysinfo: DeviceSysinfo(raw: "{}"),
                presets: DevicePresets(addressBook: preset)))
        #expect(outcome == .updated)
        #expect(received.withLock { $0.map(\.0) } == ["222"])
        #expect(received.withLock { $0.first?.1 } == preset)
        // Without a book name there is nothing to hand over.
        _ = try await harness.service.uploadSysinfo(
            SysinfoUpload(
                id: "222", uuid: "dXVpZA==", sysinfo: DeviceSysinfo(raw: "{}"),
                presets: DevicePresets(addressBook: AddressBookPreset(tag: "only-a-tag"))))
        #expect(received.withLock { $0.count } == 1)
        await harness.stop()
    }

    @Test func loginBindsOnlyAMatchingDevice() async throws {
        let harness = try Harness(devices: ["333": "dXVpZA=="])
        let users = harness.peers.apiStore
        let erin = try await users.insertUser(NewUser(name: "erin", passwordHash: "x"), now: 1)
        await harness.service.userLoggedIn(erin, deviceID: "333", uuidBase64: "b3RoZXI=")
        #expect(try await harness.service.device(id: "333") == nil)
        await harness.service.userLoggedIn(erin, deviceID: "333", uuidBase64: "dXVpZA==")
        #expect(try await harness.service.device(id: "333")?.ownerID == erin.id)
        // The heartbeat now resolves erin's strategy from memory.
        let strategy = try await harness.service.createStrategy(name: "s", options: ["k": "v"])
        try await harness.service.assignStrategy(strategy.id, toUser: erin.id)
        let answer = try await harness.service.heartbeat(Heartbeat(id: "333", uuid: "dXVpZA=="))
        #expect(answer.strategy?.modifiedAt == strategy.modifiedAt)
        #expect(answer.needsSysinfo)
        await harness.stop()
    }

    @Test func manyDevicesBeatAtOnce() async throws {
        var uuids: [String: String] = [:]
        for index in 0..<200 { uuids["\(500_000_000 + index)"] = "dXVpZA==" }
        let harness = try Harness(devices: uuids)
        let service = harness.service
        let answers = try await withThrowingTaskGroup(of: HeartbeatAnswer.self) { group in
            for id in uuids.keys {
                group.addTask { try await service.heartbeat(Heartbeat(id: id, uuid: "dXVpZA==")) }
            }
            var answers: [HeartbeatAnswer] = []
            for try await answer in group { answers.append(answer) }
            return answers
        }
        #expect(answers.count == 200)
        #expect(answers.filter { !$0.needsSysinfo }.isEmpty)
        #expect(service.directory.count == 200)
        #expect(try await harness.peers.apiStore.deviceDirectory().count == 200)
        await harness.stop()
    }
}
