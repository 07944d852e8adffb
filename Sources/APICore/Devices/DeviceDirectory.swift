import Synchronization

/// The heartbeat's in-memory view of the device table and the strategies (design.md §8: what a hot
/// path needs stays in memory): which devices exist and hold sysinfo, and everything needed to
/// resolve a device's strategy. Loaded from the store once, then updated from what each committed
/// write returns; an update older than what is held (a lower `revision`) is dropped, so concurrent
/// writes finishing out of order leave the newest state. Owned by `DeviceService`.
public final class DeviceDirectory: Sendable {
    /// Guards the entries and the policy; held only to look up or replace values.
    private let state = Mutex(State())

    private struct State {
        var devices: [String: DeviceDirectoryEntry] = [:]
        var policy = StrategyPolicy()
    }

    public init() {}

    /// Replaces everything with a freshly loaded snapshot.
    func load(devices: [DeviceDirectoryEntry], policy: StrategyPolicy) {
        var table: [String: DeviceDirectoryEntry] = [:]
        table.reserveCapacity(devices.count)
        for device in devices { table[device.id] = device }
        state.withLock {
            $0.devices = table
            $0.policy = policy
        }
    }

    public func entry(_ id: String) -> DeviceDirectoryEntry? {
        state.withLock { $0.devices[id] }
    }

    public var policy: StrategyPolicy {
        state.withLock { $0.policy }
    }

    public var count: Int {
        state.withLock { $0.devices.count }
    }

    /// The device's entry and the policy, read together.
    func snapshot(_ id: String) -> (DeviceDirectoryEntry?, StrategyPolicy) {
        state.withLock { ($0.devices[id], $0.policy) }
    }

    func apply(_ entry: DeviceDirectoryEntry) {
        state.withLock { state in
            if let held = state.devices[entry.id], held.revision > entry.revision { return }
            state.devices[entry.id] = entry
        }
    }

    func apply(_ policy: StrategyPolicy) {
        state.withLock { state in
            if state.policy.revision > policy.revision { return }
            state.policy = policy
        }
    }
}
