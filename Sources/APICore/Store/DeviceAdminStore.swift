/// Devices as administrators list them (devices.py).
public protocol DeviceAdminStore: Sendable {
    /// Devices matching `filter`, by ID, with their owner's, groups' and strategy's names.
    func devices(matching filter: DeviceFilter, page: PageRequest) async throws(APIStoreError)
        -> Page<AdminDeviceListing>
}
