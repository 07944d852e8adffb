/// A user group as user-groups.py lists it.
public struct UserGroupListing: Sendable, Equatable {
    public var group: UserGroup
    public var rules: AccessRules
    public var createdAt: Int64

    public init(group: UserGroup, rules: AccessRules, createdAt: Int64) {
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

/// A device group as device-groups.py lists it: who may reach its devices.
public struct DeviceGroupListing: Sendable, Equatable {
    public var group: DeviceGroup
    public var incoming: [AccessRule]
    public var createdAt: Int64

    public init(group: DeviceGroup, incoming: [AccessRule], createdAt: Int64) {
        self.group = group
        self.incoming = incoming
        self.createdAt = createdAt
    }
}
