/// The run-time tables of hbbs that outlive a connection, each an owner with its own lock and methods
/// named for what they do (design.md §2). The handlers, the console and the background services share
/// one instance; this holds no state of its own.
public struct RendezvousTables: Sendable {
    public let registry: PeerRegistry
    public let relays: RelaySelector
    public let ipActivity: IPActivity
    public let punchRequests: PunchRequestHistory

    public init(relayServers: [String], alwaysUseRelay: Bool, registry: PeerRegistry = PeerRegistry()) {
        self.registry = registry
        relays = RelaySelector(configured: relayServers, alwaysUseRelay: alwaysUseRelay)
        ipActivity = IPActivity()
        punchRequests = PunchRequestHistory()
    }
}
