/// A user group's access rules (admin-api.md §2, user-groups.py): who may reach its members' devices
/// (`allowed_incomings`: user groups and users) and what its members may reach (`allowed_outgoings`:
/// user groups and device groups). Rule targets are named as the scripts name them.
public struct AccessRule: Sendable, Hashable {
    public enum Kind: Int, Sendable, CaseIterable {
        case userGroup = 0
        case deviceGroup = 1
        case user = 2
    }

    public var kind: Kind
    public var name: String

    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }
}

public struct UserGroupRules: Sendable, Equatable {
    public var incoming: [AccessRule]
    public var outgoing: [AccessRule]

    public init(incoming: [AccessRule] = [], outgoing: [AccessRule] = []) {
        self.incoming = incoming
        self.outgoing = outgoing
    }
}

/// A user group as users-groups.py lists it.
public struct UserGroupListing: Sendable, Equatable {
    public var group: UserGroup
    public var rules: UserGroupRules
    public var createdAt: Int64

    public init(group: UserGroup, rules: UserGroupRules, createdAt: Int64) {
        self.group = group
        self.rules = rules
        self.createdAt = createdAt
    }
}

/// A change to a user group; nil fields stay as they are.
public struct UserGroupChange: Sendable, Equatable {
    public var name: String?
    public var note: String?
    public var incoming: [AccessRule]?
    public var outgoing: [AccessRule]?

    public init(name: String? = nil, note: String? = nil, incoming: [AccessRule]? = nil, outgoing: [AccessRule]? = nil)
    {
        self.name = name
        self.note = note
        self.incoming = incoming
        self.outgoing = outgoing
    }
}
