/// The administrative side of accounts (admin-api.md §2, users.py): filtered lists and changes an
/// administrator or an API token makes. Every write returns once committed.
public protocol UserAdminStore: Sendable {
    /// Users whose name and group match, ordered by name, with their group's name ("" for none).
    func users(matching filter: UserFilter, page: PageRequest) async throws(APIStoreError) -> Page<UserListing>
}

/// `GET /api/users`'s filters (`name`, `group_name`, `status`).
public struct UserFilter: Sendable, Equatable {
    public var name: LikeFilter?
    public var groupName: LikeFilter?
    public var status: UserStatus?

    public init(name: LikeFilter? = nil, groupName: LikeFilter? = nil, status: UserStatus? = nil) {
        self.name = name
        self.groupName = groupName
        self.status = status
    }
}

/// A user as an administrator's list shows it.
public struct UserListing: Sendable, Equatable {
    public var user: User
    public var groupName: String

    public init(user: User, groupName: String) {
        self.user = user
        self.groupName = groupName
    }
}
