import RustDeskCore

/// Steps 5–9 of the PunchHoleRequest algorithm (spec/hbbs.md §8): whether the controlled peer is asked
/// for its LAN address or told to punch, which relay it is handed and whether relay is forced.
public enum PunchHoleRouting {
    public enum Instruction: Equatable, Sendable {
        /// Same intranet: ask the peer for its local address (FetchLocalAddr).
        case fetchLocalAddr(relayServer: String)
        /// Tell the peer to punch towards the requester (PunchHole); `forceRelay` sends SYMMETRIC.
        case punchHole(relayServer: String, forceRelay: Bool)
    }

    /// - Parameters:
    ///   - requester: the requester's TCP/WebSocket address as hbbs sees it.
    ///   - peer: the controlled peer's last UDP address.
    ///   - overWebSocket: the request came over WebSocket (never same-intranet).
    ///   - isLAN: MASK membership (false for every address when no MASK is set).
    ///   - selectedRelay: the relay chosen by rotation for this request.
    ///   - localIP: LOCAL-IP, handed to LAN peers when relaying across the MASK boundary.
    public static func decide(
        requester: SocketAddr, peer: SocketAddr, overWebSocket: Bool, alwaysUseRelay: Bool,
        isLAN: (SocketAddr) -> Bool, selectedRelay: String, localIP: String
    ) -> Instruction {
        let peerIsLAN = isLAN(peer)
        let requesterIsLAN = isLAN(requester)
        var relay = selectedRelay
        var forceRelay = false
        if alwaysUseRelay || peerIsLAN != requesterIsLAN {
            if peerIsLAN { relay = localIP }
            forceRelay = true
        }
        // The reference compares the raw dual-stack addresses; comparing normalised IPs is equivalent
        // there and also right for IPv4-only listeners (spec note in §8 step 8).
        let sameIP = requester.ip.normalized == peer.ip.normalized
        let sameIntranet = !overWebSocket && ((peerIsLAN && requesterIsLAN) || sameIP)
        return sameIntranet
            ? .fetchLocalAddr(relayServer: relay) : .punchHole(relayServer: relay, forceRelay: forceRelay)
    }
}
