import Logging

/// user-groups.py's side of the admin API (admin-api.md §2): list, create, update (name, note, access
/// rules), delete and add members. `Default` stays: it cannot be renamed or deleted, since new users
/// without a group join it by that name; a deleted group's members join it. Each change is audited.
public struct UserGroupAdministration: Sendable {
    public static let defaultName = "Default"

    public enum Failure: Error, Sendable, Equatable {
        case invalidName
        case nameTaken
        case unknownGroup
        /// A rule names a group, user or device group that does not exist.
        case unknownRuleTarget
        /// A rule of a kind its direction does not take (incoming: user groups and users; outgoing:
        /// user groups and device groups).
        case invalidRuleKind
        case defaultGroupIsFixed
        case store(APIStoreError)
    }

    public let store: any UserGroupAdminStore
    private let audit: ConsoleAuditLog
    private let clock: APIClock
    private let logger: Logger

    public init(store: any UserGroupAdminStore, audit: ConsoleAuditLog, clock: APIClock = .system, logger: Logger) {
        self.store = store
        self.audit = audit
        self.clock = clock
        self.logger = logger
    }

    public func groups(named filter: LikeFilter?, page: PageRequest) async throws(APIStoreError)
        -> Page<UserGroupListing>
    {
        try await store.userGroups(named: filter, page: page)
    }

    public func create(name: String, note: String, rules: AccessRules, by caller: AdminCaller)
        async throws(Failure) -> UserGroupListing
    {
        guard UserAdministration.isValidName(name) else { throw .invalidName }
        try Self.check(rules.incoming, outgoing: rules.outgoing)
        let now = clock.now()
        let group = try await storeCall(onNotFound: Failure.unknownRuleTarget) { () async throws(APIStoreError) in
            try await store.insertUserGroup(name: name, note: note, rules: rules, now: now)
        }
        logger.notice("user group created", metadata: ["group": "\(name)", "by": "\(caller)"])
        await audit.record(.addGroup, by: caller, ["user_group": name])
        return group
    }

    public func update(guid: String, _ change: UserGroupChange, by caller: AdminCaller) async throws(Failure)
        -> UserGroupListing
    {
        let current = try await existing(guid)
        if let name = change.name {
            guard UserAdministration.isValidName(name) else { throw .invalidName }
            if current.group.name == Self.defaultName, name != Self.defaultName { throw .defaultGroupIsFixed }
        }
        try Self.check(change.incoming ?? [], outgoing: change.outgoing ?? [])
        let updated = try await storeCall(onNotFound: Failure.unknownRuleTarget) { () async throws(APIStoreError) in
            try await store.updateUserGroup(guid: guid, change)
        }
        logger.notice("user group updated", metadata: ["group": "\(updated.group.name)", "by": "\(caller)"])
        await audit.record(.updateGroup, by: caller, ["user_group": updated.group.name])
        return updated
    }

    public func delete(guid: String, by caller: AdminCaller) async throws(Failure) {
        let current = try await existing(guid)
        guard current.group.name != Self.defaultName else { throw .defaultGroupIsFixed }
        try await storeCall(onNotFound: Failure.unknownGroup) { () async throws(APIStoreError) in
            try await store.deleteUserGroup(guid: guid)
        }
        logger.notice("user group deleted", metadata: ["group": "\(current.group.name)", "by": "\(caller)"])
        await audit.record(.deleteGroups, by: caller, ["user_group": current.group.name])
    }

    /// user-groups.py `add-users`: these users move into the group; returns how many moved.
    public func addUsers(_ userGUIDs: [String], to guid: String, by caller: AdminCaller) async throws(Failure) -> Int {
        let current = try await existing(guid)
        let moved = try await storeCall(onNotFound: Failure.unknownGroup) { () async throws(APIStoreError) in
            try await store.addUsers(userGUIDs, toUserGroup: guid)
        }
        await audit.record(
            .updateGroup, by: caller,
            ["user_group": current.group.name, "added_users": userGUIDs.joined(separator: ","), "moved": "\(moved)"])
        return moved
    }

    private static func check(_ incoming: [AccessRule], outgoing: [AccessRule]) throws(Failure) {
        guard incoming.allSatisfy({ $0.kind != .deviceGroup }), outgoing.allSatisfy({ $0.kind != .user }) else {
            throw .invalidRuleKind
        }
    }

    private func existing(_ guid: String) async throws(Failure) -> UserGroupListing {
        let found = try await storeCall(onNotFound: Failure.unknownGroup) { () async throws(APIStoreError) in
            try await store.userGroup(guid: guid)
        }
        guard let found else { throw .unknownGroup }
        return found
    }

}

extension UserGroupAdministration.Failure: StoreBackedFailure {}
