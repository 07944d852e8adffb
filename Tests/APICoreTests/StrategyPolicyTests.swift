import APICore
import Testing

/// How a device's strategy is resolved and what the heartbeat pushes (http-api.md §2.1).
@Suite struct StrategyPolicyTests {
    static let device = Strategy(id: 1, guid: "d", name: "Device", options: ["a": "1"], modifiedAt: 100)
    static let user = Strategy(id: 2, guid: "u", name: "User", options: ["b": "2"], modifiedAt: 200)
    static let group = Strategy(id: 3, guid: "g", name: "Group", options: ["c": "3"], modifiedAt: 300)
    static let off = Strategy(id: 4, guid: "o", name: "Off", options: ["d": "4"], modifiedAt: 400, enabled: false)
    static let policy = StrategyPolicy(
        strategies: [1: device, 2: user, 3: group, 4: off], userStrategies: [10: 2, 11: 4], groupStrategies: [20: 3])

    @Test func deviceBeatsUserBeatsGroup() {
        let policy = Self.policy
        #expect(policy.strategy(for: DeviceDirectoryEntry(id: "x", ownerID: 10, groupID: 20, strategyID: 1))?.id == 1)
        #expect(policy.strategy(for: DeviceDirectoryEntry(id: "x", ownerID: 10, groupID: 20))?.id == 2)
        #expect(policy.strategy(for: DeviceDirectoryEntry(id: "x", ownerID: 99, groupID: 20))?.id == 3)
        #expect(policy.strategy(for: DeviceDirectoryEntry(id: "x")) == nil)
        #expect(policy.strategy(for: nil) == nil)
    }

    @Test func aDisabledStrategyManagesNothingEvenWithAGroupBelowIt() {
        #expect(Self.policy.strategy(for: DeviceDirectoryEntry(id: "x", ownerID: 11, groupID: 20)) == nil)
    }

    @Test func pushCarriesTheStrategyAndClearsOtherManagedKeys() throws {
        let entry = DeviceDirectoryEntry(id: "x", groupID: 20)
        let push = try #require(Self.policy.push(for: entry, clientStamp: 0))
        #expect(push.modifiedAt == 300)
        #expect(push.configOptions == ["a": "", "b": "", "c": "3", "d": ""])
        #expect(Self.policy.push(for: entry, clientStamp: 300) == nil)
    }

    @Test func noStrategyPushesStampZeroOnlyToAClientHoldingOne() throws {
        let entry = DeviceDirectoryEntry(id: "x")
        #expect(Self.policy.push(for: entry, clientStamp: 0) == nil)
        let push = try #require(Self.policy.push(for: entry, clientStamp: 300))
        #expect(push.modifiedAt == 0)
        #expect(push.configOptions == ["a": "", "b": "", "c": "", "d": ""])
        #expect(push.extra.isEmpty)
    }

    @Test func keysNoStrategySetsAnyMoreAreStillCleared() throws {
        let policy = StrategyPolicy(strategies: [1: Self.device], retiredKeys: ["old"])
        let push = try #require(policy.push(for: DeviceDirectoryEntry(id: "x", strategyID: 1), clientStamp: 0))
        #expect(push.configOptions == ["a": "1", "old": ""])
    }

    @Test func strategiesAreFoundByNameIgnoringCase() {
        #expect(Self.policy.strategy(named: "group")?.id == 3)
        #expect(Self.policy.strategy(named: "missing") == nil)
        #expect(Self.policy.strategy(named: "") == nil)
    }
}
