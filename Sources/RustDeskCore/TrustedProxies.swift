/// Which reverse proxies may tell the WebSocket ports the real client address, and how that address
/// is read (spec/wire.md §2.4). The reference believes `X-Real-IP` / `X-Forwarded-For` from anyone
/// (rustdesk-server#634), so any client could pose as any IP; we honour them only from loopback
/// (a proxy on the same host) and from the networks configured in TRUSTED_PROXIES.
public struct TrustedProxies: Sendable, Equatable {
    /// An IPv4 or IPv6 network; a bare address is a single host.
    public struct Network: Sendable, Equatable {
        public let address: IPAddress
        public let prefixLength: Int

        /// `10.0.0.0/8`, `2001:db8::/32`, `192.0.2.7`, `::1`; nil when malformed.
        public init?(parsing text: some StringProtocol) {
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let first = parts.first, let address = IPAddress(first) else { return nil }
            let maximum = address.isIPv4 ? 32 : 128
            var prefix = maximum
            if parts.count == 2 {
                guard let value = Int(parts[1]), (0...maximum).contains(value) else { return nil }
                prefix = value
            }
            self.address = address
            prefixLength = prefix
        }

        public func contains(_ ip: IPAddress) -> Bool {
            switch (address.normalized, ip.normalized) {
            case (.v4(let network), .v4(let candidate)):
                let mask: UInt32 = prefixLength == 0 ? 0 : UInt32.max << (32 - prefixLength)
                return network & mask == candidate & mask
            case (.v6(let network), .v6(let candidate)):
                let mask: UInt128 = prefixLength == 0 ? 0 : UInt128.max << (128 - prefixLength)
                return network & mask == candidate & mask
            default:
                return false
            }
        }
    }

    public let networks: [Network]

    public init(networks: [Network] = []) {
        self.networks = networks
    }

    /// Parses a comma-separated list; nil when an entry is malformed (the caller names the option).
    public init?(parsing list: String) {
        var networks: [Network] = []
        for entry in list.split(separator: ",") {
            let trimmed = entry.trimmingCharacters(in: " \t")
            if trimmed.isEmpty { continue }
            guard let network = Network(parsing: trimmed) else { return nil }
            networks.append(network)
        }
        self.networks = networks
    }

    public func trusts(_ ip: IPAddress) -> Bool {
        ip.normalized.isLoopback || networks.contains { $0.contains(ip) }
    }

    /// The client address of a WebSocket request that came from `peer`: from `X-Real-IP`, else the
    /// last entry of `X-Forwarded-For` (the one the trusted proxy appended; earlier entries are the
    /// client's own claims), when `peer` is trusted and the value is an IP. The port stays the peer
    /// connection's, so every proxied client keeps its own key in the requester table (the reference
    /// uses port 0, and web clients behind one IP then collide).
    public func clientAddress(peer: SocketAddr, realIP: String?, forwardedFor: String?) -> SocketAddr {
        guard trusts(peer.ip) else { return peer }
        let candidate: Substring?
        if let realIP {
            candidate = Substring(realIP)
        } else {
            candidate = forwardedFor?.split(separator: ",").last
        }
        guard let text = candidate?.trimmingCharacters(in: " \t"), let ip = IPAddress(text) else { return peer }
        return SocketAddr(ip: ip, port: peer.port)
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

extension TrustedProxies {
    /// TRUSTED_PROXIES as configured: absent or empty trusts only loopback.
    public static func parseOption(_ text: String?) throws(ConfigurationError) -> TrustedProxies {
        guard let text else { return TrustedProxies() }
        guard let proxies = TrustedProxies(parsing: text) else {
            throw .invalidValue(option: .trustedProxies, value: text, reason: .notAnIPNetworkList)
        }
        return proxies
    }
}
