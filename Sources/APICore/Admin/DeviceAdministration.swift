/// devices.py's side of the admin API (admin-api.md §2). So far the list: the store's rows, each with
/// its online state from hbbs's registry and its last heartbeat from memory when that is newer than
/// the stored one (heartbeat times are stored to the minute).
public struct DeviceAdministration: Sendable {
    public let devices: DeviceService
    public let store: any DeviceAdminStore

    public init(devices: DeviceService, store: any DeviceAdminStore) {
        self.devices = devices
        self.store = store
    }

    public func devices(matching filter: DeviceFilter, page: PageRequest) async throws(APIStoreError)
        -> Page<AdminDeviceListing>
    {
        var list = try await store.devices(matching: filter, page: page)
        for index in list.items.indices {
            let id = list.items[index].device.id
            list.items[index].online = devices.registered.isOnline(id: id)
            if let seen = devices.directory.lastHeartbeat(id), seen > list.items[index].device.lastHeartbeatAt ?? .min {
                list.items[index].device.lastHeartbeatAt = seen
            }
        }
        return list
    }
}
