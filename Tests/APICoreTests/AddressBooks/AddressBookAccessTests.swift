import APICore
import Testing

/// Who may see and change a book, decided without a store or HTTP.
struct AddressBookAccessTests {
    static let owner = User(id: 1, guid: "u1", name: "owner", passwordHash: "", createdAt: 0)
    static let bob = User(id: 2, guid: "u2", name: "bob", passwordHash: "", groupID: 10, createdAt: 0)
    static let carol = User(id: 3, guid: "u3", name: "carol", passwordHash: "", groupID: 11, createdAt: 0)
    static let shared = AddressBook(id: 7, guid: "b7", ownerID: 1, isPersonal: false, name: "team", createdAt: 0)
    static let personal = AddressBook(id: 8, guid: "b8", ownerID: 1, isPersonal: true, createdAt: 0)

    @Test func theOwnerHasFullControlOfBothKindsOfBook() {
        #expect(AddressBookAccess.rule(of: Self.owner, on: Self.shared, rules: []) == .fullControl)
        #expect(AddressBookAccess.rule(of: Self.owner, on: Self.personal, rules: []) == .fullControl)
    }

    @Test func nobodyElseSeesAPersonalBookWhateverItsRules() {
        let rules = [BookRule(target: .everyone, rule: .fullControl), BookRule(target: .user(2), rule: .read)]
        #expect(AddressBookAccess.rule(of: Self.bob, on: Self.personal, rules: rules) == nil)
    }

    @Test func aSharedBookWithoutAMatchingRuleIsInvisible() {
        let rules = [BookRule(target: .user(3), rule: .fullControl), BookRule(target: .group(11), rule: .read)]
        #expect(AddressBookAccess.rule(of: Self.bob, on: Self.shared, rules: rules) == nil)
        #expect(AddressBookAccess.rule(of: Self.bob, on: Self.shared, rules: []) == nil)
    }

    @Test(arguments: [
        (BookRule(target: .user(2), rule: .read), ShareRule.read),
        (BookRule(target: .group(10), rule: .readWrite), ShareRule.readWrite),
        (BookRule(target: .everyone, rule: .fullControl), ShareRule.fullControl),
    ])
    func aRuleNamingTheUserTheirGroupOrEveryoneApplies(_ rule: BookRule, _ expected: ShareRule) {
        #expect(AddressBookAccess.rule(of: Self.bob, on: Self.shared, rules: [rule]) == expected)
    }

    @Test func theBestOfSeveralApplyingRulesWins() {
        let rules = [
            BookRule(target: .everyone, rule: .read), BookRule(target: .group(10), rule: .readWrite),
            BookRule(target: .user(2), rule: .read), BookRule(target: .user(3), rule: .fullControl),
        ]
        #expect(AddressBookAccess.rule(of: Self.bob, on: Self.shared, rules: rules) == .readWrite)
        #expect(AddressBookAccess.rule(of: Self.carol, on: Self.shared, rules: rules) == .fullControl)
    }

    @Test func aUserWithoutAGroupIsNotMatchedByGroupRules() {
        let loner = User(id: 4, guid: "u4", name: "loner", passwordHash: "", createdAt: 0)
        #expect(
            AddressBookAccess.rule(of: loner, on: Self.shared, rules: [BookRule(target: .group(10), rule: .read)])
                == nil)
    }

    @Test func readingNeedsReadAndEveryChangeIncludingDeletesNeedsReadWrite() {
        #expect(AddressBookAccess.allows(.read, .read))
        #expect(!AddressBookAccess.allows(.read, .write))
        #expect(AddressBookAccess.allows(.readWrite, .write))
        #expect(AddressBookAccess.allows(.fullControl, .write))
    }
}
