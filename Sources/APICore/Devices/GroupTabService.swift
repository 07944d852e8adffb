/// The client's group tab (http-api.md §5): which users, devices and device groups a logged-in user
/// may see (`GroupTabScope`), a page at a time. Plain reads over the store.
public struct GroupTabService: Sendable {
    public let store: any DeviceStore

    public init(store: any DeviceStore) {
        self.store = store
    }

    public func users(for caller: User, status: UserStatus?, page: PageRequest) async throws(APIStoreError)
        -> Page<User>
    {
        try await store.users(visibleTo: GroupTabScope(caller), status: status, page: page)
    }

    public func devices(for caller: User, page: PageRequest) async throws(APIStoreError)
        -> Page<DeviceListing>
    {
        try await store.devices(visibleTo: GroupTabScope(caller), page: page)
    }

    public func deviceGroups(for caller: User, page: PageRequest) async throws(APIStoreError)
        -> Page<String>
    {
        try await store.deviceGroupNames(visibleTo: GroupTabScope(caller), page: page)
    }
}
