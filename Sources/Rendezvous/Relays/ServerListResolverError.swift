/// Why a server list entry was dropped or could not be probed.
public enum ServerListResolverError: Error, Equatable, Sendable {
    /// The entry cannot name an endpoint (empty host, bad port, unbalanced brackets).
    case invalidEntry(String)
    /// DNS gave no address for the host.
    case lookupFailed(host: String, reason: String)
}
