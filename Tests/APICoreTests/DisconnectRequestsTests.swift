import APICore
import Testing

/// Disconnect requests are handed out once, bounded, and forgotten when their device never asks.
@Suite struct DisconnectRequestsTests {
    @Test func idsAreDeliveredOnceWithoutDuplicates() {
        let requests = DisconnectRequests()
        #expect(requests.request(deviceID: "a", connIDs: [1, 2], now: 0))
        #expect(requests.request(deviceID: "a", connIDs: [2, 3], now: 1))
        #expect(requests.take(deviceID: "a", now: 2) == [1, 2, 3])
        #expect(requests.take(deviceID: "a", now: 2).isEmpty)
        #expect(requests.take(deviceID: "b", now: 2).isEmpty)
    }

    @Test func expiredRequestsAreDropped() {
        let requests = DisconnectRequests(lifetimeSeconds: 10)
        requests.request(deviceID: "a", connIDs: [1], now: 0)
        #expect(requests.take(deviceID: "a", now: 10).isEmpty)
    }

    @Test func queueIsBoundedInDevicesAndIds() {
        let requests = DisconnectRequests(lifetimeSeconds: 10, maxDevices: 2, maxConnectionsPerDevice: 3)
        #expect(requests.request(deviceID: "a", connIDs: [1, 2, 3, 4, 5], now: 0))
        #expect(requests.request(deviceID: "b", connIDs: [1], now: 0))
        #expect(!requests.request(deviceID: "c", connIDs: [1], now: 5))
        // Once the others expired there is room again.
        #expect(requests.request(deviceID: "c", connIDs: [1], now: 20))
        #expect(requests.count == 1)
        #expect(requests.take(deviceID: "a", now: 20).isEmpty)
        #expect(requests.take(deviceID: "c", now: 20) == [1])
    }

    @Test func firstIdsWinWhenAboveTheBound() {
        let requests = DisconnectRequests(maxConnectionsPerDevice: 3)
        requests.request(deviceID: "a", connIDs: [1, 2, 3, 4, 5], now: 0)
        #expect(requests.take(deviceID: "a", now: 0) == [1, 2, 3])
    }
}
