/// One access rule's target, named as the admin scripts name it (admin-api.md §2, user-groups.py,
/// device-groups.py): a user group, a device group or a user.
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

/// A group's access rules: who may reach its devices (`allowed_incomings`: user groups and users) and
/// what its members may reach (`allowed_outgoings`: user groups and device groups; user groups only).
public struct AccessRules: Sendable, Equatable {
    public var incoming: [AccessRule]
    public var outgoing: [AccessRule]

    public init(incoming: [AccessRule] = [], outgoing: [AccessRule] = []) {
        self.incoming = incoming
        self.outgoing = outgoing
    }
}
