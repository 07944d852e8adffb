import Testing

@testable import APICore

/// The in-memory directory keeps the newest state whatever order the updates arrive in.
@Suite struct DeviceDirectoryTests {
    @Test func anOlderRevisionNeverReplacesANewerOne() {
        let directory = DeviceDirectory()
        directory.apply(DeviceDirectoryEntry(id: "1", ownerID: 5, revision: 7))
        directory.apply(DeviceDirectoryEntry(id: "1", ownerID: 4, revision: 6))
        #expect(directory.entry("1")?.ownerID == 5)
        directory.apply(DeviceDirectoryEntry(id: "1", ownerID: 6, hasSysinfo: true, revision: 8))
        #expect(directory.entry("1")?.ownerID == 6)
        #expect(directory.entry("1")?.hasSysinfo == true)
        #expect(directory.entry("2") == nil)
    }

    @Test func policiesAreOrderedTheSameWay() {
        let directory = DeviceDirectory()
        let newer = StrategyPolicy(strategies: [1: Strategy(id: 1, guid: "g", name: "n", modifiedAt: 1)], revision: 3)
        directory.apply(newer)
        directory.apply(StrategyPolicy(revision: 2))
        #expect(directory.policy == newer)
    }
}
