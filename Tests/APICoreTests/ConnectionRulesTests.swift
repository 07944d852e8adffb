import APICore
import Testing

/// `ConnectionRules.decide` case by case: who may reach which device once rules exist.
@Suite struct ConnectionRulesTests {
    // Users 1–5: 1 in group 10 owns the device, 2 in group 20, 3 in group 30, 4 an administrator in
    // group 40, 5 disabled. Device group 100.
    static let users: [User.ID: AccessFacts.UserFacts] = [
        1: .init(name: "owner", groupID: 10, isAdmin: false, disabled: false),
        2: .init(name: "two", groupID: 20, isAdmin: false, disabled: false),
        3: .init(name: "three", groupID: 30, isAdmin: false, disabled: false),
        4: .init(name: "admin", groupID: 40, isAdmin: true, disabled: false),
        5: .init(name: "gone", groupID: 10, isAdmin: false, disabled: true),
        6: .init(name: "mate", groupID: 10, isAdmin: false, disabled: false),
    ]
    static let device = DeviceDirectoryEntry(id: "d", ownerID: 1, groupID: 100)

    static func decide(
        _ user: User.ID?, rules: Set<AccessFacts.Rule>, device: DeviceDirectoryEntry = device, mustLogin: Bool = false
    ) -> ConnectionRules.Refusal? {
        ConnectionRules.decide(
            device: device, initiator: user, facts: AccessFacts(users: users, rules: rules), mustLogin: mustLogin)
    }

    static let unrelated: Set<AccessFacts.Rule> = [
        .init(subject: .userGroup(30), direction: .outgoing, kind: .userGroup, targetID: 40)
    ]

    @Test func withoutRulesEveryoneReachesAnEnabledDevice() {
        #expect(Self.decide(2, rules: []) == nil)
        #expect(Self.decide(nil, rules: []) == nil)
        #expect(Self.decide(nil, rules: [], mustLogin: true) == .mustLogin)
    }

    @Test func disabledDeviceOrOwnerIsRefusedToEveryone() {
        var disabled = Self.device
        disabled.disabled = true
        #expect(Self.decide(1, rules: [], device: disabled) == .deviceDisabled)
        #expect(Self.decide(4, rules: [], device: disabled) == .deviceDisabled)
        let ownedByDisabled = DeviceDirectoryEntry(id: "d", ownerID: 5)
        #expect(Self.decide(nil, rules: [], device: ownedByDisabled) == .deviceDisabled)
    }

    @Test func ownerGroupMatesAndAdministratorsPass() {
        #expect(Self.decide(1, rules: Self.unrelated) == nil)
        #expect(Self.decide(6, rules: Self.unrelated) == nil)
        #expect(Self.decide(4, rules: Self.unrelated) == nil)
        #expect(Self.decide(2, rules: Self.unrelated) == .accessRule)
        // Not logged in: rules do not apply.
        #expect(Self.decide(nil, rules: Self.unrelated) == nil)
        // Nobody manages the device: rules do not apply.
        #expect(Self.decide(2, rules: Self.unrelated, device: DeviceDirectoryEntry(id: "free")) == nil)
    }

    @Test func eachRuleShapeAllows() {
        let shapes: [AccessFacts.Rule] = [
            .init(subject: .userGroup(20), direction: .outgoing, kind: .userGroup, targetID: 10),
            .init(subject: .userGroup(20), direction: .outgoing, kind: .deviceGroup, targetID: 100),
            .init(subject: .userGroup(10), direction: .incoming, kind: .userGroup, targetID: 20),
            .init(subject: .userGroup(10), direction: .incoming, kind: .user, targetID: 2),
            .init(subject: .deviceGroup(100), direction: .incoming, kind: .userGroup, targetID: 20),
            .init(subject: .deviceGroup(100), direction: .incoming, kind: .user, targetID: 2),
        ]
        for shape in shapes {
            let rules = Self.unrelated.union([shape])
            #expect(Self.decide(2, rules: rules) == nil, "\(shape)")
            #expect(Self.decide(3, rules: rules) == .accessRule, "\(shape)")
        }
    }
}
