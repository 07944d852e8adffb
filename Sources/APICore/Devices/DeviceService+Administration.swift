/// What the admin API (next) and the tests change: owners, device groups, strategies and their
/// assignments, disconnect requests. Each write commits first, then updates the directory the
/// heartbeat answers from.
extension DeviceService {
    /// The stored device, with its last heartbeat from memory when that is newer than the stored one.
    public func device(id: String) async throws(APIStoreError) -> Device? {
        guard var device = try await store.device(id: id) else { return nil }
        if let seen = directory.lastHeartbeat(id), seen > device.lastHeartbeatAt ?? .min {
            device.lastHeartbeatAt = seen
        }
        return device
    }

    public func assignOwner(_ userID: User.ID?, toDevice id: String) async throws(APIStoreError) {
        try await loadDirectory()
        let uuid = try await store.device(id: id)?.uuid ?? ""
        directory.apply(try await store.setDeviceOwner(deviceID: id, uuid: uuid, ownerID: userID, now: clock.now()))
    }

    @discardableResult
    public func createDeviceGroup(name: String, note: String = "") async throws(APIStoreError) -> DeviceGroup {
        try await store.insertDeviceGroup(name: name, note: note, now: clock.now())
    }

    public func assignDeviceGroup(_ groupID: DeviceGroup.ID?, toDevice id: String) async throws(APIStoreError) {
        try await loadDirectory()
        directory.apply(try await store.setDeviceGroup(deviceID: id, groupID: groupID, now: clock.now()))
    }

    @discardableResult
    public func createStrategy(
        name: String, options: [String: String], extra: [String: String] = [:], enabled: Bool = true
    ) async throws(APIStoreError) -> Strategy {
        try await loadDirectory()
        let (strategy, policy) = try await store.insertStrategy(
            name: name, options: options, extra: extra, enabled: enabled, now: clock.now())
        directory.apply(policy)
        return strategy
    }

    /// Changes a strategy (nil = keep that part); its new stamp makes every device under it receive it.
    @discardableResult
    public func updateStrategy(
        _ id: Strategy.ID, options: [String: String]? = nil, extra: [String: String]? = nil, enabled: Bool? = nil
    ) async throws(APIStoreError) -> Strategy {
        try await loadDirectory()
        let (strategy, policy) = try await store.updateStrategy(
            id: id, options: options, extra: extra, enabled: enabled, now: clock.now())
        directory.apply(policy)
        return strategy
    }

    public func assignStrategy(_ strategyID: Strategy.ID?, toDevice id: String) async throws(APIStoreError) {
        try await loadDirectory()
        directory.apply(try await store.setDeviceStrategy(deviceID: id, strategyID: strategyID, now: clock.now()))
    }

    public func assignStrategy(_ strategyID: Strategy.ID?, toUser userID: User.ID) async throws(APIStoreError) {
        try await loadDirectory()
        directory.apply(try await store.setUserStrategy(userID: userID, strategyID: strategyID))
    }

    public func assignStrategy(_ strategyID: Strategy.ID?, toDeviceGroup groupID: DeviceGroup.ID)
        async throws(APIStoreError)
    {
        try await loadDirectory()
        directory.apply(try await store.setDeviceGroupStrategy(groupID: groupID, strategyID: strategyID))
    }

    /// Queues connection ids for the device's next heartbeat; false when the queue is full.
    @discardableResult
    public func requestDisconnect(deviceID: String, connIDs: [Int32]) -> Bool {
        disconnects.request(deviceID: deviceID, connIDs: connIDs, now: clock.now())
    }
}
