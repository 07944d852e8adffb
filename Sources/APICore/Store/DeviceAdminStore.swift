/// Devices as administrators list and change them (devices.py, `rustdesk --assign`).
public protocol DeviceAdminStore: Sendable {
    /// Devices matching `filter`, by ID, with their owner's, groups' and strategy's names.
    func devices(matching filter: DeviceFilter, page: PageRequest) async throws(APIStoreError)
        -> Page<AdminDeviceListing>
    func device(guid: String) async throws(APIStoreError) -> Device?
    /// `.notFound` for an unknown guid.
    func setDisabled(_ disabled: Bool, deviceGUID: String, now: Int64) async throws(APIStoreError)
        -> DeviceDirectoryEntry
    /// Deletes the row only while it is disabled: `.conflict` when it is enabled, `.notFound` when unknown.
    func deleteDisabledDevice(guid: String) async throws(APIStoreError) -> Device
    /// The names an administrator gives the device (nil = leave that one); they survive sysinfo uploads.
    func setNames(deviceID: String, hostname: String?, username: String?, now: Int64) async throws(APIStoreError)
        -> DeviceDirectoryEntry
    /// The device's row, created (with `uuid`) when missing.
    func ensureDevice(id: String, uuid: String, now: Int64) async throws(APIStoreError) -> DeviceDirectoryEntry
    func setNote(deviceID: String, note: String, now: Int64) async throws(APIStoreError)
}
