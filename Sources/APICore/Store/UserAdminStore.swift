/// The administrative side of accounts (admin-api.md §2, users.py): filtered lists and changes an
/// administrator or an API token makes. Every write returns once committed.
public protocol UserAdminStore: Sendable {
    /// Users whose name and group match, ordered by name, with their group's name ("" for none).
    func users(matching filter: UserFilter, page: PageRequest) async throws(APIStoreError) -> Page<UserListing>
    func user(guid: String) async throws(APIStoreError) -> User?
    /// Sets the status of the user with this guid; `.notFound` when there is none.
    func setStatus(userGUID: String, _ status: UserStatus, now: Int64) async throws(APIStoreError)
    /// Deletes the user (their sessions, personal book and rules go with them; their devices stay,
    /// unowned); `.notFound` when there is none.
    func deleteUser(guid: String) async throws(APIStoreError)
    /// Enabled administrators other than the user with this guid.
    func otherEnabledAdministrators(than guid: String) async throws(APIStoreError) -> Int
    /// Ends every session of these users; returns how many.
    func deleteSessions(userGUIDs: [String]) async throws(APIStoreError) -> Int
    /// Removes the TOTP enrolment of these users; returns how many had one.
    func removeSecondFactors(userGUIDs: [String], now: Int64) async throws(APIStoreError) -> Int
    /// Marks unverified accounts of these users as verified; returns how many changed.
    func markVerified(userGUIDs: [String], now: Int64) async throws(APIStoreError) -> Int
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
