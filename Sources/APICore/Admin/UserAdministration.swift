import Logging

/// users.py's side of the admin API (admin-api.md §2): what an administrator's session or an API
/// token with the `user` permission may read and change about accounts. Permission checks happen at
/// the route (`AdminCaller`); this owns the rules and talks to the store.
public struct UserAdministration: Sendable {
    public let store: any UserAdminStore
    private let logger: Logger

    public init(store: any UserAdminStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func users(matching filter: UserFilter, page: PageRequest) async throws(APIStoreError) -> Page<UserListing> {
        try await store.users(matching: filter, page: page)
    }
}
