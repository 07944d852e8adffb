/// Device groups as administrators change them (device-groups.py). Membership changes go through
/// `DeviceStore.setDeviceGroup` (via `DeviceService`, which keeps the heartbeat's directory current).
/// Every write returns once committed.
public protocol DeviceGroupAdminStore: Sendable {
    func deviceGroups(named filter: LikeFilter?, page: PageRequest) async throws(APIStoreError)
        -> Page<DeviceGroupListing>
    func deviceGroupListing(guid: String) async throws(APIStoreError) -> DeviceGroupListing?
    /// `.conflict` when the name is taken; `.notFound` when a rule names nothing.
    func insertDeviceGroup(name: String, note: String, incoming: [AccessRule], now: Int64) async throws(APIStoreError)
        -> DeviceGroupListing
    /// nil fields stay; `.notFound` when the group or a rule's target does not exist.
    func updateDeviceGroup(guid: String, name: String?, note: String?, incoming: [AccessRule]?)
        async throws(APIStoreError) -> DeviceGroupListing
    /// The RustDesk IDs of the group's devices.
    func deviceIDs(inDeviceGroup id: DeviceGroup.ID) async throws(APIStoreError) -> [String]
    func deleteDeviceGroup(id: DeviceGroup.ID) async throws(APIStoreError)
}
