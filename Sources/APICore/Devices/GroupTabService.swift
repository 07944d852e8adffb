/// The client's group tab (http-api.md §5): which users, devices and device groups a logged-in user
/// may see (`GroupTabScope`), a page at a time. Plain reads over the store.
public struct GroupTabService: Sendable {
    public let store: any DeviceStore

    public init(store: any DeviceStore) {
        self.store = store
    }

    public func users(for caller: User, status: UserStatus?, page: GroupTabPage) async throws(APIStoreError)
        -> GroupTabList<User>
    {
        try await store.users(visibleTo: GroupTabScope(caller), status: status, page: page)
    }

    public func devices(for caller: User, page: GroupTabPage) async throws(APIStoreError)
        -> GroupTabList<DeviceListing>
    {
        try await store.devices(visibleTo: GroupTabScope(caller), page: page)
    }

    public func deviceGroups(for caller: User, page: GroupTabPage) async throws(APIStoreError)
        -> GroupTabList<String>
    {
        try await store.deviceGroupNames(visibleTo: GroupTabScope(caller), page: page)
    }
}
