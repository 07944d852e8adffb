import RustDeskCore
import Testing

@testable import RendezvousCore

/// The §8 decision and the §10 relay rewrite, without sockets.
@Suite struct PunchHoleRulesTests {
    static let requester = SocketAddr(ip: IPAddress(v4Octets: 198, 51, 100, 7), port: 5000)
    static let peerAddress = SocketAddr(ip: IPAddress(v4Octets: 203, 0, 113, 9), port: 6000)
    static let lan = IPv4Network(parsing: "10.0.0.0/8")

    static func policy(licence: String = "", alwaysUseRelay: Bool = false) -> PunchHoleRules.Policy {
        PunchHoleRules.Policy(
            licenceKey: licence, alwaysUseRelay: alwaysUseRelay,
            mask: lan, localIP: "10.0.0.1")
    }

    static func peer(lastSeen: Milliseconds) -> RegisteredPeer {
        var peer = RegisteredPeer.loaded(guid: [1], uuid: [2], pk: [3], infoIP: "203.0.113.9", now: 0)
        peer.socketAddr = peerAddress
        peer.lastRegTime = lastSeen
        return peer
    }

    /// Decides with a relay rotation that counts how often it was asked.
    static func decide(
        licence: String = "", peer: RegisteredPeer?, now: Milliseconds = 100_000,
        policy: PunchHoleRules.Policy = policy()
    ) -> (PunchHoleRules.Action, selections: Int) {
        var selections = 0
        let action = PunchHoleRules.decide(
            requester: requester, licenceKey: licence, overWebSocket: false, peer: peer, now: now, policy: policy
        ) {
            selections += 1
            return "relay.example"
        }
        return (action, selections)
    }

    @Test func wrongLicenceIsRefusedBeforeAnythingElse() {
        let (action, selections) = Self.decide(licence: "wrong", peer: nil, policy: Self.policy(licence: "key"))
        #expect(action == .reply(.licenceMismatch))
        #expect(selections == 0)
    }

    @Test func unknownAndOfflinePeersAreRefused() {
        #expect(Self.decide(peer: nil).0 == .reply(.idNotExist))
        let stale = Self.peer(lastSeen: 0)
        #expect(Self.decide(peer: stale, now: 0 &+ RegisteredPeer.onlineWindow).0 == .reply(.offline))
    }

    @Test func onlinePeerIsToldToPunchWithOneRelaySelection() {
        let (action, selections) = Self.decide(
            licence: "key", peer: Self.peer(lastSeen: 99_000), policy: Self.policy(licence: "key"))
        #expect(
            action
                == .instructPeer(
                    .punchHole(relayServer: "relay.example", forceRelay: false), peerAddress: Self.peerAddress))
        #expect(selections == 1)
    }

    @Test func alwaysUseRelayForcesTheRelay() {
        let (action, _) = Self.decide(peer: Self.peer(lastSeen: 99_000), policy: Self.policy(alwaysUseRelay: true))
        #expect(
            action
                == .instructPeer(
                    .punchHole(relayServer: "relay.example", forceRelay: true), peerAddress: Self.peerAddress))
    }

    @Test func relayResponseRewrite() {
        let lanRequester = SocketAddr(ip: IPAddress(v4Octets: 10, 1, 2, 3), port: 1)
        var selections = 0
        func rewrite(_ offered: String, _ requester: SocketAddr) -> String {
            PunchHoleRules.relayForRequester(offered: offered, requester: requester, policy: Self.policy()) {
                selections += 1
                return "public.example"
            }
        }
        #expect(rewrite("", lanRequester) == "")
        #expect(rewrite("r.example", lanRequester) == "10.0.0.1")
        #expect(rewrite("10.0.0.1", Self.requester) == "public.example")
        #expect(rewrite("r.example", Self.requester) == "r.example")
        #expect(selections == 1)
    }
}
