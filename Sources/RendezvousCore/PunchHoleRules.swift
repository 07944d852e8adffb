import RustDeskCore

/// The whole decision of spec/hbbs.md §8 for a PunchHoleRequest, and the relay rewrite of §10 for a
/// RelayResponse, as pure functions: the handler carries out what they return.
public enum PunchHoleRules {
    /// Why a request is answered at once with a failure.
    public enum Failure: Equatable, Sendable {
        case licenceMismatch, idNotExist, offline
    }

    public enum Action: Equatable, Sendable {
        /// Answer the requester with this failure; nothing goes to the peer.
        case reply(Failure)
        /// Tell the peer at `peerAddress` what `instruction` says; the requester waits for its answer.
        case instructPeer(PunchHoleRouting.Instruction, peerAddress: SocketAddr)
    }

    /// What hbbs's configuration and tables say about one request.
    public struct Policy {
        /// "" = no licence check.
        public var licenceKey: String
        public var alwaysUseRelay: Bool
        public var isLAN: (SocketAddr) -> Bool
        public var localIP: String

        public init(licenceKey: String, alwaysUseRelay: Bool, isLAN: @escaping (SocketAddr) -> Bool, localIP: String) {
            self.licenceKey = licenceKey
            self.alwaysUseRelay = alwaysUseRelay
            self.isLAN = isLAN
            self.localIP = localIP
        }
    }

    /// §8: licence, existence and liveness first (each answered at once), then the routing of steps 5–9.
    /// `selectRelay` advances the relay rotation, so it is called once, and only for a request that
    /// reaches the peer.
    public static func decide(
        requester: SocketAddr, licenceKey: String, overWebSocket: Bool, peer: RegisteredPeer?, now: Milliseconds,
        policy: Policy, selectRelay: () -> String
    ) -> Action {
        if !policy.licenceKey.isEmpty && licenceKey != policy.licenceKey { return .reply(.licenceMismatch) }
        guard let peer else { return .reply(.idNotExist) }
        guard peer.isOnline(now: now) else { return .reply(.offline) }
        let instruction = PunchHoleRouting.decide(
            requester: requester, peer: peer.socketAddr, overWebSocket: overWebSocket,
            alwaysUseRelay: policy.alwaysUseRelay, isLAN: policy.isLAN, selectedRelay: selectRelay(),
            localIP: policy.localIP)
        return .instructPeer(instruction, peerAddress: peer.socketAddr)
    }

    /// §10: the relay a RelayResponse hands its requester. A LAN requester gets LOCAL-IP; a relay equal
    /// to LOCAL-IP, which only LAN peers can reach, is swapped for a public one; otherwise unchanged.
    public static func relayForRequester(
        offered: String, requester: SocketAddr, policy: Policy, selectRelay: () -> String
    ) -> String {
        guard !offered.isEmpty else { return offered }
        if policy.isLAN(requester) { return policy.localIP }
        return offered == policy.localIP ? selectRelay() : offered
    }
}
