import RendezvousCore
import RustDeskCore

/// One server list entry read as host and optional port: `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare
/// IPv6 literal (which never carries a port). Used by `ServerListResolver` for the DNS check (§2.2) and by
/// `RelayHealthChecker` to find the address to probe (§9.2).
struct ServerEndpoint: Hashable, Sendable {
    var host: String
    /// nil when the entry names no port; the caller supplies its default (0 for the DNS check, 21117 for probes).
    var port: UInt16?

    /// nil when the entry cannot name an endpoint at all (empty host, bad port, unbalanced brackets).
    init?(_ entry: String) {
        if entry.hasPrefix("[") {
            guard let close = entry.firstIndex(of: "]") else { return nil }
            let inside = entry[entry.index(after: entry.startIndex)..<close]
            // Brackets only ever wrap IPv6 literals; "[name]" is as invalid here as it is for a socket address.
            guard inside.contains(":") else { return nil }
            let rest = entry[entry.index(after: close)...]
            host = String(inside)
            if rest.isEmpty {
                port = nil
            } else {
                guard rest.hasPrefix(":"), let number = UInt16(rest.dropFirst()) else { return nil }
                port = number
            }
        } else if let literal = IPAddress(entry), !literal.isIPv4 {
            // "::1" would otherwise split at its last colon into host ":" and port 1.
            host = entry
            port = nil
        } else if let colon = entry.lastIndex(of: ":") {
            guard let number = UInt16(entry[entry.index(after: colon)...]) else { return nil }
            host = String(entry[..<colon])
            port = number
        } else {
            host = entry
            port = nil
        }
        guard !host.isEmpty else { return nil }
    }
}
