import RustDeskCore
import Synchronization

/// The runtime tables of hbbs that outlive a single connection, each with its own owner and lock
/// (design.md §2). Handlers, the console and background services share one instance.
public final class RendezvousState: Sendable {
    public let registry: PeerRegistry
    public let relays: RelaySelector
    /// Guards the per-IP RegisterPk limiter. Taken inside a registry shard's lock (`PeerRegistrar`),
    /// never the other way round, and nothing else is locked while it is held: no cycle.
    public let ipBlocker: Mutex<IPBlocker>
    /// Guards the informational IP-change table.
    public let ipChanges: Mutex<IPChangeLog>
    /// Guards the punch-request history shown by the console.
    public let punchRequests: Mutex<PunchRequestLog>
    /// ALWAYS_USE_RELAY; the console can flip it at run time.
    public let alwaysUseRelay: Atomic<Bool>

    public init(relayServers: [String], alwaysUseRelay: Bool, registry: PeerRegistry = PeerRegistry()) {
        self.registry = registry
        relays = RelaySelector(configured: relayServers)
        ipBlocker = Mutex(IPBlocker())
        ipChanges = Mutex(IPChangeLog())
        punchRequests = Mutex(PunchRequestLog())
        self.alwaysUseRelay = Atomic(alwaysUseRelay)
    }
}
