import RendezvousCore
import RustDeskCore
import Testing

@Suite struct IDChangeRulesTests {
    static let peer = RegisteredPeer.loaded(guid: [1, 2], uuid: Array("uuid-1".utf8), pk: [9, 9], infoIP: "", now: 0)

    @Test func customIDsAsTheClientAllows() {
        for valid in ["abcdef", "A_1234", "z" + String(repeating: "9", count: 15)] {
            #expect(IDChangeRules.isValidCustomID(valid), "\(valid)")
        }
        for invalid in [
            "", "abcde", "1abcdef", "_abcdef", "abc-def", "a" + String(repeating: "b", count: 16), "äbcdef",
        ] {
            #expect(!IDChangeRules.isValidCustomID(invalid), "\(invalid)")
        }
    }

    @Test func takeNeedsTheSameUUIDAndAKeyAndKeepsTheBurstLimit() {
        var record: RegisteredPeer? = Self.peer
        #expect(IDChangeRules.take(&record, uuid: Array("other".utf8), now: 10_000_000) == .failure(.uuidMismatch))
        var none: RegisteredPeer?
        #expect(IDChangeRules.take(&none, uuid: Array("uuid-1".utf8), now: 10_000_000) == .failure(.uuidMismatch))
        let now: Milliseconds = 10_000_000
        for _ in 0..<3 {
            guard case .success = IDChangeRules.take(&record, uuid: Array("uuid-1".utf8), now: now) else {
                Issue.record("refused inside the burst")
                return
            }
        }
        #expect(IDChangeRules.take(&record, uuid: Array("uuid-1".utf8), now: now + 1000) == .failure(.tooFrequent))
        guard case .success = IDChangeRules.take(&record, uuid: Array("uuid-1".utf8), now: now + 7000) else {
            Issue.record("the burst window did not reopen")
            return
        }
    }

    @Test func placeOnlyOnAFreeIDAndReleaseOnlyTheSameRecord() {
        var taken: RegisteredPeer? = Self.peer
        #expect(!IDChangeRules.place(&taken, Self.peer))
        var free: RegisteredPeer?
        #expect(IDChangeRules.place(&free, Self.peer))
        #expect(!IDChangeRules.release(&free, guid: [7]))
        #expect(IDChangeRules.release(&free, guid: [1, 2]))
        #expect(free == nil)
    }
}
