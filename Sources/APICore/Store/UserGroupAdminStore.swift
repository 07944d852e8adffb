/// User groups as administrators change them (user-groups.py). Rules name their targets; a target
/// that does not exist is `.invalidReference`. Every write returns once committed.
public protocol UserGroupAdminStore: Sendable {
    func userGroups(named filter: LikeFilter?, page: PageRequest) async throws(APIStoreError) -> Page<UserGroupListing>
    func userGroup(guid: String) async throws(APIStoreError) -> UserGroupListing?
    /// `.conflict` when the name is taken; `.notFound` when a rule names nothing.
    func insertUserGroup(name: String, note: String, rules: AccessRules, now: Int64) async throws(APIStoreError)
        -> UserGroupListing
    /// `.notFound` when the group or a rule's target does not exist; `.conflict` for a taken name.
    func updateUserGroup(guid: String, _ change: UserGroupChange) async throws(APIStoreError) -> UserGroupListing
    /// Deletes the group; its members join `Default`. `.notFound` when there is none.
    func deleteUserGroup(guid: String) async throws(APIStoreError)
    /// Moves these users into the group; returns how many moved. `.notFound` when the group does not exist.
    func addUsers(_ userGUIDs: [String], toUserGroup guid: String) async throws(APIStoreError) -> Int
}
