import RustDeskCore

/// The whole decision of spec/hbbs.md §8 for a PunchHoleRequest, and the relay rewrite of §10 for a
/// RelayResponse, as pure functions: the handler carries out what they return.
public enum PunchHoleRules {
    /// Why a request is answered at once with a failure.
    public enum Failure: Equatable, Sendable {
        case licenceMismatch, idNotExist, offline
        /// The connection policy (disabled device, access rules, MUST_LOGIN) refused: the text the
        /// client shows.
        case refused(String)
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
        /// MASK: the IPv4 network regarded as LAN; nil = no address is.
        public var mask: IPv4Network?
        public var localIP: String

        public init(licenceKey: String, alwaysUseRelay: Bool, mask: IPv4Network?, localIP: String) {
            self.licenceKey = licenceKey
            self.alwaysUseRelay = alwaysUseRelay
            self.mask = mask
            self.localIP = localIP
        }

        /// is_lan of spec/hbbs.md §8: MASK set and the (IPv4 or IPv4-convertible) address inside it.
        public func isLAN(_ address: SocketAddr) -> Bool {
            guard let mask else { return false }
            let ip = address.ip.normalized
            return ip.isIPv4 && mask.contains(ip)
        }
    }

    /// §8: licence, the connection policy, existence and liveness first (each answered at once), then
    /// the routing of steps 5–9. `refusal` (the connection policy's text, nil = allowed) is asked only
    /// of a request with the right licence key. `selectRelay` advances the relay rotation, so it is
    /// called once, and only for a request that reaches the peer.
    public static func decide(
        requester: SocketAddr, licenceKey: String, overWebSocket: Bool, peer: RegisteredPeer?, now: Milliseconds,
        policy: Policy, refusal: () -> String? = { nil }, selectRelay: () -> String
    ) -> Action {
        if !policy.licenceKey.isEmpty && licenceKey != policy.licenceKey { return .reply(.licenceMismatch) }
        if let text = refusal() { return .reply(.refused(text)) }
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
