/// Where devices, device groups and strategies live (http-api.md §2 and §5). Every write returns once
/// committed; those that change what the heartbeat resolves return the new `DeviceDirectoryEntry` or
/// `StrategyPolicy`, stamped with a revision that grows in commit order, for the in-memory directory.
public protocol DeviceStore: Sendable {
    // MARK: Directory (loaded once at start)

    func deviceDirectory() async throws(APIStoreError) -> [DeviceDirectoryEntry]
    func strategyPolicy() async throws(APIStoreError) -> StrategyPolicy

    // MARK: Devices

    /// Records the heartbeat time of `deviceID` in one statement; when no row exists it creates one
    /// (without sysinfo) and returns its entry, otherwise nil.
    func recordHeartbeat(deviceID: String, uuid: String, at now: Int64) async throws(APIStoreError)
        -> DeviceDirectoryEntry?
    /// `recordHeartbeat` for a caller on an event loop (the heartbeat's fast path): `completion` runs
    /// once committed, on a thread of the store's choosing, and must only hop elsewhere.
    func recordHeartbeat(
        deviceID: String, uuid: String, at now: Int64,
        completion: @escaping @Sendable (Result<DeviceDirectoryEntry?, APIStoreError>) -> Void)
    /// Creates or updates the row with the uploaded sysinfo and applies the presets to unset fields.
    func saveSysinfo(_ record: SysinfoRecord) async throws(APIStoreError) -> SysinfoSaved
    /// Sets (or with nil clears) the owner, creating the row when missing.
    func setDeviceOwner(deviceID: String, uuid: String, ownerID: User.ID?, now: Int64) async throws(APIStoreError)
        -> DeviceDirectoryEntry
    /// `.notFound` when the device has no row.
    func setDeviceStrategy(deviceID: String, strategyID: Strategy.ID?, now: Int64) async throws(APIStoreError)
        -> DeviceDirectoryEntry
    /// `.notFound` when the device has no row.
    func setDeviceGroup(deviceID: String, groupID: DeviceGroup.ID?, now: Int64) async throws(APIStoreError)
        -> DeviceDirectoryEntry
    func device(id: String) async throws(APIStoreError) -> Device?

    // MARK: Device groups and strategies

    /// `.conflict` when the name is taken.
    func insertDeviceGroup(name: String, note: String, now: Int64) async throws(APIStoreError) -> DeviceGroup
    func deviceGroup(named name: String) async throws(APIStoreError) -> DeviceGroup?
    /// `.conflict` when the name is taken. The new strategy's `modifiedAt` is unique and at least `now`.
    func insertStrategy(
        name: String, options: [String: String], extra: [String: String], enabled: Bool, now: Int64
    ) async throws(APIStoreError) -> (Strategy, StrategyPolicy)
    /// Changes the given parts (nil = keep) and moves `modifiedAt` to a new unique stamp.
    func updateStrategy(
        id: Strategy.ID, options: [String: String]?, extra: [String: String]?, enabled: Bool?, now: Int64
    ) async throws(APIStoreError) -> (Strategy, StrategyPolicy)
    func setUserStrategy(userID: User.ID, strategyID: Strategy.ID?) async throws(APIStoreError) -> StrategyPolicy
    func setDeviceGroupStrategy(groupID: DeviceGroup.ID, strategyID: Strategy.ID?) async throws(APIStoreError)
        -> StrategyPolicy

    // MARK: Group tab (paged reads, indexed)

    /// The users `scope` may see, by name; `status` nil = any.
    func users(visibleTo scope: GroupTabScope, status: UserStatus?, page: PageRequest) async throws(APIStoreError)
        -> Page<User>
    /// The devices `scope` may see, by id.
    func devices(visibleTo scope: GroupTabScope, page: PageRequest) async throws(APIStoreError)
        -> Page<DeviceListing>
    /// The names of the device groups `scope` may see (administrators: all), by name.
    func deviceGroupNames(visibleTo scope: GroupTabScope, page: PageRequest) async throws(APIStoreError)
        -> Page<String>
}

extension DeviceStore {
    /// Through the async `recordHeartbeat`, for stores without a writer to hand the completion to.
    public func recordHeartbeat(
        deviceID: String, uuid: String, at now: Int64,
        completion: @escaping @Sendable (Result<DeviceDirectoryEntry?, APIStoreError>) -> Void
    ) {
        Task {
            do throws(APIStoreError) {
                completion(.success(try await recordHeartbeat(deviceID: deviceID, uuid: uuid, at: now)))
            } catch {
                completion(.failure(error))
            }
        }
    }
}
