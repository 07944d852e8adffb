import RustDeskCore
import Testing

@testable import RendezvousCore

@Suite struct PunchHoleRoutingTests {
    static func address(_ text: String) -> SocketAddr {
        guard let address = SocketAddr(text) else { fatalError("bad test address \(text)") }
        return address
    }

    let lan = IPv4Network(parsing: "192.168.0.0/16")

    func decide(
        requester: String, peer: String, webSocket: Bool = false, alwaysUseRelay: Bool = false, mask: Bool = true
    ) -> PunchHoleRouting.Instruction {
        let network = mask ? lan : nil
        return PunchHoleRouting.decide(
            requester: Self.address(requester), peer: Self.address(peer), overWebSocket: webSocket,
            alwaysUseRelay: alwaysUseRelay, isLAN: { address in network?.contains(address.ip.normalized) ?? false },
            selectedRelay: "relay.example", localIP: "192.168.1.1")
    }

    @Test func differentPublicIPsPunch() {
        #expect(
            decide(requester: "1.1.1.1:5", peer: "2.2.2.2:6")
                == .punchHole(relayServer: "relay.example", forceRelay: false))
    }

    @Test func samePublicIPFetchesLocalAddress() {
        #expect(decide(requester: "1.1.1.1:5", peer: "1.1.1.1:6") == .fetchLocalAddr(relayServer: "relay.example"))
        // Dual-stack sockets report IPv4 peers as mapped addresses: still the same IP.
        #expect(
            decide(requester: "[::ffff:1.1.1.1]:5", peer: "1.1.1.1:6") == .fetchLocalAddr(relayServer: "relay.example"))
    }

    @Test func bothInsideTheMaskAreSameIntranet() {
        #expect(
            decide(requester: "192.168.1.5:5", peer: "192.168.9.9:6") == .fetchLocalAddr(relayServer: "relay.example"))
    }

    @Test func crossingTheMaskForcesRelayAndHandsLANPeersTheLocalIP() {
        // Peer inside, requester outside: the peer must use LOCAL-IP as its relay.
        #expect(
            decide(requester: "8.8.8.8:5", peer: "192.168.1.9:6")
                == .punchHole(relayServer: "192.168.1.1", forceRelay: true))
        // Requester inside, peer outside: relay forced, the selected relay kept.
        #expect(
            decide(requester: "192.168.1.9:5", peer: "8.8.8.8:6")
                == .punchHole(relayServer: "relay.example", forceRelay: true))
    }

    @Test func webSocketIsNeverSameIntranet() {
        #expect(
            decide(requester: "1.1.1.1:0", peer: "1.1.1.1:6", webSocket: true)
                == .punchHole(relayServer: "relay.example", forceRelay: false))
    }

    @Test func alwaysUseRelayForcesButKeepsTheIntranetPath() {
        #expect(
            decide(requester: "1.1.1.1:5", peer: "2.2.2.2:6", alwaysUseRelay: true)
                == .punchHole(relayServer: "relay.example", forceRelay: true))
        #expect(
            decide(requester: "1.1.1.1:5", peer: "1.1.1.1:6", alwaysUseRelay: true)
                == .fetchLocalAddr(relayServer: "relay.example"))
    }

    @Test func withoutMaskNothingIsLAN() {
        #expect(
            decide(requester: "192.168.1.5:5", peer: "192.168.9.9:6", mask: false)
                == .punchHole(relayServer: "relay.example", forceRelay: false))
    }
}
