/// What hbbs's connection policy knows about users, sessions and access rules, read from the store in
/// one go (`PolicyStore.accessFacts`) and held in memory so that no rendezvous decision reads the disk.
public struct AccessFacts: Sendable, Equatable {
    public struct UserFacts: Sendable, Equatable {
        /// For the audit of a refusal.
        public var name: String
        public var groupID: UserGroup.ID?
        public var isAdmin: Bool
        public var disabled: Bool

        public init(name: String, groupID: UserGroup.ID?, isAdmin: Bool, disabled: Bool) {
            self.name = name
            self.groupID = groupID
            self.isAdmin = isAdmin
            self.disabled = disabled
        }
    }

    public struct SessionFacts: Sendable, Equatable {
        public var userID: User.ID
        /// Unix seconds.
        public var expiresAt: Int64

        public init(userID: User.ID, expiresAt: Int64) {
            self.userID = userID
            self.expiresAt = expiresAt
        }
    }

    /// One stored rule (`api_access_rule`): the group it belongs to, its direction, and its target.
    public struct Rule: Sendable, Hashable {
        public enum Subject: Sendable, Hashable {
            case userGroup(UserGroup.ID)
            case deviceGroup(DeviceGroup.ID)
        }

        public enum Direction: Sendable, Hashable {
            /// Who may reach the subject's devices.
            case incoming
            /// What the subject's members may reach.
            case outgoing
        }

        public var subject: Subject
        public var direction: Direction
        public var kind: AccessRule.Kind
        public var targetID: Int64

        public init(subject: Subject, direction: Direction, kind: AccessRule.Kind, targetID: Int64) {
            self.subject = subject
            self.direction = direction
            self.kind = kind
            self.targetID = targetID
        }
    }

    public var users: [User.ID: UserFacts]
    /// By the SHA-256 of the session token, as stored.
    public var sessions: [[UInt8]: SessionFacts]
    public var rules: Set<Rule>

    public init(
        users: [User.ID: UserFacts] = [:], sessions: [[UInt8]: SessionFacts] = [:], rules: Set<Rule> = []
    ) {
        self.users = users
        self.sessions = sessions
        self.rules = rules
    }
}
