import Testing

@testable import RendezvousCore

/// The punch-request history the console pages through, with hostile page arguments.
@Suite struct PunchRequestLogTests {
    @Test func punchRequestPageClampsAnyStartAndSize() {
        var log = PunchRequestLog()
        for index in 0..<3 { log.record(fromIP: "f", toIP: "t", toID: "id\(index)", now: 0) }
        #expect(log.page(start: 1, size: Int.max).map(\.toID) == ["id1", "id2"])
        #expect(log.page(start: Int.max, size: Int.max).isEmpty)
        #expect(log.page(start: -1, size: 2).isEmpty)
        #expect(log.page(start: 0, size: 0).isEmpty)
        #expect(log.page(start: 0, size: 2).map(\.toID) == ["id0", "id1"])
    }
}
