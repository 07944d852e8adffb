import APICore
import Synchronization

/// A `DeviceStore` that forwards to the real one and counts each method called, so a test can tell
/// how many writes and reads a path costs.
final class CountingDeviceStore: DeviceStore {
    let base: any DeviceStore
    /// Guards the counts per method name.
    private let counts = Mutex<[String: Int]>([:])

    init(base: any DeviceStore) {
        self.base = base
    }

    var calls: [String: Int] { counts.withLock { $0 } }

    func reset() { counts.withLock { $0 = [:] } }

    private func count(_ name: String) {
        counts.withLock { $0[name, default: 0] += 1 }
    }

    func deviceDirectory() async throws(APIStoreError) -> [DeviceDirectoryEntry] {
        count("deviceDirectory")
        return try await base.deviceDirectory()
    }

    func strategyPolicy() async throws(APIStoreError) -> StrategyPolicy {
        count("strategyPolicy")
        return try await base.strategyPolicy()
    }

    func recordHeartbeat(deviceID: String, uuid: String, at now: Int64) async throws(APIStoreError)
        -> DeviceDirectoryEntry?
    {
        count("recordHeartbeat")
        return try await base.recordHeartbeat(deviceID: deviceID, uuid: uuid, at: now)
    }

    func saveSysinfo(_ record: SysinfoRecord) async throws(APIStoreError) -> SysinfoSaved {
        count("saveSysinfo")
        return try await base.saveSysinfo(record)
    }

    func setDeviceOwner(deviceID: String, uuid: String, ownerID: User.ID?, now: Int64) async throws(APIStoreError)
        -> DeviceDirectoryEntry
    {
        count("setDeviceOwner")
        return try await base.setDeviceOwner(deviceID: deviceID, uuid: uuid, ownerID: ownerID, now: now)
    }

    func setDeviceStrategy(deviceID: String, strategyID: Strategy.ID?, now: Int64) async throws(APIStoreError)
        -> DeviceDirectoryEntry
    {
        count("setDeviceStrategy")
        return try await base.setDeviceStrategy(deviceID: deviceID, strategyID: strategyID, now: now)
    }

    func setDeviceGroup(deviceID: String, groupID: DeviceGroup.ID?, now: Int64) async throws(APIStoreError)
        -> DeviceDirectoryEntry
    {
        count("setDeviceGroup")
        return try await base.setDeviceGroup(deviceID: deviceID, groupID: groupID, now: now)
    }

    func device(id: String) async throws(APIStoreError) -> Device? {
        count("device")
        return try await base.device(id: id)
    }

    func insertDeviceGroup(name: String, note: String, now: Int64) async throws(APIStoreError) -> DeviceGroup {
        count("insertDeviceGroup")
        return try await base.insertDeviceGroup(name: name, note: note, now: now)
    }

    func deviceGroup(named name: String) async throws(APIStoreError) -> DeviceGroup? {
        count("deviceGroup")
        return try await base.deviceGroup(named: name)
    }

    func insertStrategy(
        name: String, options: [String: String], extra: [String: String], enabled: Bool, now: Int64
    ) async throws(APIStoreError) -> (Strategy, StrategyPolicy) {
        count("insertStrategy")
        return try await base.insertStrategy(name: name, options: options, extra: extra, enabled: enabled, now: now)
    }

    func updateStrategy(
        id: Strategy.ID, options: [String: String]?, extra: [String: String]?, enabled: Bool?, now: Int64
    ) async throws(APIStoreError) -> (Strategy, StrategyPolicy) {
        count("updateStrategy")
        return try await base.updateStrategy(id: id, options: options, extra: extra, enabled: enabled, now: now)
    }

    func setUserStrategy(userID: User.ID, strategyID: Strategy.ID?) async throws(APIStoreError) -> StrategyPolicy {
        count("setUserStrategy")
        return try await base.setUserStrategy(userID: userID, strategyID: strategyID)
    }

    func setDeviceGroupStrategy(groupID: DeviceGroup.ID, strategyID: Strategy.ID?) async throws(APIStoreError)
        -> StrategyPolicy
    {
        count("setDeviceGroupStrategy")
        return try await base.setDeviceGroupStrategy(groupID: groupID, strategyID: strategyID)
    }

    func users(visibleTo scope: GroupTabScope, status: UserStatus?, page: PageRequest) async throws(APIStoreError)
        -> Page<User>
    {
        count("users")
        return try await base.users(visibleTo: scope, status: status, page: page)
    }

    func devices(visibleTo scope: GroupTabScope, page: PageRequest) async throws(APIStoreError)
        -> Page<DeviceListing>
    {
        count("devices")
        return try await base.devices(visibleTo: scope, page: page)
    }

    func deviceGroupNames(visibleTo scope: GroupTabScope, page: PageRequest) async throws(APIStoreError)
        -> Page<String>
    {
        count("deviceGroupNames")
        return try await base.deviceGroupNames(visibleTo: scope, page: page)
    }
}
