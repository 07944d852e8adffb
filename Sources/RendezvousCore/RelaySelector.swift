import RustDeskCore
import Synchronization

/// The relay list handed to peers (spec/hbbs.md §9): the configured list, the healthy subset the
/// health checker last saw, and the round-robin counter, plus ALWAYS_USE_RELAY. Shared by the TCP
/// handlers, the health checker and the console; one lock guards the three lists because they change
/// together.
public final class RelaySelector: Sendable {
    private struct State {
        var configured: [String]
        var healthy: [String]
        var counter: Int = 0
    }

    /// Guards the configured list, the healthy list and the rotation counter.
    private let state: Mutex<State>
    /// ALWAYS_USE_RELAY; the console can flip it at run time. Relaxed: an independent flag.
    private let forceRelay: Atomic<Bool>

    public init(configured: [String], alwaysUseRelay: Bool = false) {
        state = Mutex(State(configured: configured, healthy: configured))
        forceRelay = Atomic(alwaysUseRelay)
    }

    /// Whether every punch-hole request is answered with a relay (except on the same intranet).
    public var alwaysUseRelay: Bool {
        get { forceRelay.load(ordering: .relaxed) }
        set { forceRelay.store(newValue, ordering: .relaxed) }
    }

    /// "" with no healthy relay; the single entry; otherwise the next entry in rotation.
    public func select() -> String {
        state.withLock { state in
            switch state.healthy.count {
            case 0: return ""
            case 1: return state.healthy[0]
            default:
                let relay = state.healthy[state.counter % state.healthy.count]
                state.counter &+= 1
                if state.counter < 0 { state.counter = 0 }
                return relay
            }
        }
    }

    public var configured: [String] { state.withLock { $0.configured } }
    public var healthy: [String] { state.withLock { $0.healthy } }

    /// Console `rs <list>`: replaces the configured list and resets the healthy list to it.
    public func replaceConfigured(_ relays: [String]) {
        state.withLock { state in
            state.configured = relays
            state.healthy = relays
        }
    }

    /// Health checker result; an empty result leaves the healthy list unchanged (§9.2).
    public func updateHealthy(_ relays: [String]) {
        guard !relays.isEmpty else { return }
        state.withLock { $0.healthy = relays }
    }
}
