import Logging

/// users.py's side of the admin API (admin-api.md §2): what an administrator's session or an API
/// token with the `user` permission may read and change about accounts. Permission checks happen at
/// the route (`AdminCaller`); this owns the rules (valid names, never locking out the last
/// administrator) and talks to the store. Every change is logged with who made it.
public struct UserAdministration: Sendable {
    public enum Failure: Error, Sendable, Equatable {
        case invalidName
        case invalidEmail
        case missingPassword
        case passwordTooLong
        case nameTaken
        case unknownUser
        /// Disabling or deleting this user would leave no enabled administrator.
        case lastAdministrator
        /// `enable-2fa-enforce`'s `url` is too long or holds control characters.
        case invalidURL
        case store(APIStoreError)
    }

    public struct NewAccount: Sendable, Equatable {
        public var name: String
        public var password: String
        public var email: String
        public var groupName: String?
        public var note: String

        public init(name: String, password: String, email: String = "", groupName: String? = nil, note: String = "") {
            self.name = name
            self.password = password
            self.email = email
            self.groupName = groupName
            self.note = note
        }
    }

    public let store: any UserAdminStore & AccountStore & InvitationStore
    let audit: ConsoleAuditLog
    private let hasher: PasswordHasher
    private let blocking: BlockingWork
    let clock: APIClock
    let logger: Logger

    public init(
        store: any UserAdminStore & AccountStore & InvitationStore, audit: ConsoleAuditLog, hasher: PasswordHasher,
        blocking: BlockingWork = .inline, clock: APIClock = .system, logger: Logger
    ) {
        self.store = store
        self.audit = audit
        self.hasher = hasher
        self.blocking = blocking
        self.clock = clock
        self.logger = logger
    }

    public func users(matching filter: UserFilter, page: PageRequest) async throws(APIStoreError) -> Page<UserListing> {
        try await store.users(matching: filter, page: page)
    }

    /// users.py `new`: an enabled, non-administrator account; a group that does not exist yet is
    /// created, as `rustdesk-utils user add --group` does.
    public func create(_ account: NewAccount, by caller: AdminCaller) async throws(Failure) -> User {
        guard Self.isValidName(account.name) else { throw .invalidName }
        guard account.email.isEmpty || (account.email.contains("@") && account.email.utf8.count <= 254) else {
            throw .invalidEmail
        }
        guard !account.password.isEmpty else { throw .missingPassword }
        let hasher = hasher
        let password = account.password
        guard let hash = await blocking.run({ try? hasher.hash(password) }) else { throw .passwordTooLong }
        let group = account.groupName.flatMap { $0.isEmpty ? nil : $0 }
        let new = NewUser(
            name: account.name, email: account.email, passwordHash: hash, groupName: group, note: account.note)
        do throws(APIStoreError) {
            let user = try await store.insertUser(new, now: clock.now())
            logger.notice("user created", metadata: ["user": "\(user.name)", "by": "\(caller)"])
            await audit.record(.addUser, by: caller, ["user": user.name, "group": group ?? ""])
            return user
        } catch .conflict {
            throw .nameTaken
        } catch {
            throw .store(error)
        }
    }

    public func setEnabled(_ enabled: Bool, userGUID: String, by caller: AdminCaller) async throws(Failure) {
        let user = try await existing(userGUID)
        if !enabled { try await keepAnAdministrator(besides: user) }
        try await storeCall(onNotFound: Failure.unknownUser) { () async throws(APIStoreError) in
            try await store.setStatus(userGUID: userGUID, enabled ? .normal : .disabled, now: clock.now())
        }
        logger.notice(
            enabled ? "user enabled" : "user disabled", metadata: ["user": "\(user.name)", "by": "\(caller)"])
        await audit.record(enabled ? .enableUsers : .disableUsers, by: caller, ["user": user.name])
    }

    public func delete(userGUID: String, by caller: AdminCaller) async throws(Failure) {
        let user = try await existing(userGUID)
        try await keepAnAdministrator(besides: user)
        try await storeCall(onNotFound: Failure.unknownUser) { () async throws(APIStoreError) in
            try await store.deleteUser(guid: userGUID)
        }
        logger.notice("user deleted", metadata: ["user": "\(user.name)", "by": "\(caller)"])
        await audit.record(.deleteUser, by: caller, ["user": user.name])
    }

    /// users.py `force-logout`: every session of these users ends; returns how many.
    public func forceLogout(userGUIDs: [String], by caller: AdminCaller) async throws(Failure) -> Int {
        let ended = try await storeCall(onNotFound: Failure.unknownUser) { () async throws(APIStoreError) in
            try await store.deleteSessions(userGUIDs: userGUIDs)
        }
        logger.notice(
            "sessions ended", metadata: ["users": "\(userGUIDs.count)", "sessions": "\(ended)", "by": "\(caller)"])
        return ended
    }

    /// users.py `reset-2fa`: these users log in with their password alone until they enrol again.
    public func resetSecondFactor(userGUIDs: [String], by caller: AdminCaller) async throws(Failure) -> Int {
        let now = clock.now()
        let reset = try await storeCall(onNotFound: Failure.unknownUser) { () async throws(APIStoreError) in
            try await store.removeSecondFactors(userGUIDs: userGUIDs, now: now)
        }
        logger.notice("second factor reset", metadata: ["users": "\(reset)", "by": "\(caller)"])
        await audit.record(
            .updateUser, by: caller, ["change": "reset-2fa", "users": userGUIDs.joined(separator: ",")])
        return reset
    }

    /// users.py `disable-email-verification`: hbbs sends no verification mail, so this only lifts
    /// the unverified state of these accounts.
    public func markVerified(userGUIDs: [String], by caller: AdminCaller) async throws(Failure) -> Int {
        let now = clock.now()
        let changed = try await storeCall(onNotFound: Failure.unknownUser) { () async throws(APIStoreError) in
            try await store.markVerified(userGUIDs: userGUIDs, now: now)
        }
        logger.notice("accounts marked verified", metadata: ["users": "\(changed)", "by": "\(caller)"])
        await audit.record(
            .updateUser, by: caller,
            ["change": "disable-email-verification", "users": userGUIDs.joined(separator: ",")])
        return changed
    }

    /// 1 to 128 characters without control characters or surrounding spaces: the rule for names of
    /// users and groups, here and in `rustdesk-utils user add`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 128 && name.trimmingSpacesAndTabs == name[...]
            && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    private func existing(_ guid: String) async throws(Failure) -> User {
        guard
            let user = try await storeCall(
                onNotFound: Failure.unknownUser, { () async throws(APIStoreError) in try await store.user(guid: guid) })
        else {
            throw .unknownUser
        }
        return user
    }

    private func keepAnAdministrator(besides user: User) async throws(Failure) {
        guard user.isAdmin, user.status == .normal else { return }
        let others = try await storeCall(onNotFound: Failure.unknownUser) { () async throws(APIStoreError) in
            try await store.otherEnabledAdministrators(than: user.guid)
        }
        if others == 0 { throw .lastAdministrator }
    }
}

extension UserAdministration.Failure: StoreBackedFailure {}
