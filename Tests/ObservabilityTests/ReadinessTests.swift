import Observability
import Testing

@Suite struct ReadinessTests {
    @Test func allIsReadyOnlyWhenEveryPartIs() {
        #expect(Readiness.all([]) == .ready)
        #expect(Readiness.all([.ready, .ready]) == .ready)
        #expect(
            Readiness.all([.notReady(reasons: ["udp"]), .ready, .notReady(reasons: ["store", "disk"])])
                == .notReady(reasons: ["udp", "store", "disk"]))
        // A part that is not ready stays so even without a reason.
        #expect(Readiness.all([.ready, .notReady(reasons: [])]) == .notReady(reasons: []))
        #expect(!Readiness.notReady(reasons: []).isReady && Readiness.ready.isReady)
    }
}
