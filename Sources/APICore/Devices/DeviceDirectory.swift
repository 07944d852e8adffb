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
        /// Heartbeat times by device ID: only devices registered over UDP heartbeat, so this is
        /// bounded like the registry. Kept across reloads.
        var beats: [String: BeatTimes] = [:]
    }

    /// A device's last heartbeat, and the last one known to be committed (nil: none since start).
    private struct BeatTimes {
        var seen: Int64
        var persisted: Int64?
    }

    /// What a heartbeat needs, taken under one lock: the device's entry, the policy, and whether its
    /// time must be written (see `DeviceService.heartbeatResolution`).
    struct Beat {
        var entry: DeviceDirectoryEntry?
        var policy: StrategyPolicy
        var persist: Bool
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

    /// Notes a heartbeat at `now`. It must be written when the device has no row yet, when no time of
    /// it was committed since start, or when the committed one is `resolution` seconds old (or in the
    /// future: the clock went back).
    func beat(_ id: String, at now: Int64, resolution: Int64) -> Beat {
        state.withLock { state in
            var times = state.beats[id] ?? BeatTimes(seen: now, persisted: nil)
            times.seen = now
            state.beats[id] = times
            let entry = state.devices[id]
            var persist = true
            if entry != nil, let persisted = times.persisted, persisted <= now, now - persisted < resolution {
                persist = false
            }
            return Beat(entry: entry, policy: state.policy, persist: persist)
        }
    }

    /// A heartbeat time that is committed.
    func persistedBeat(_ id: String, at time: Int64) {
        state.withLock { state in
            var times = state.beats[id] ?? BeatTimes(seen: time, persisted: nil)
            times.persisted = max(times.persisted ?? time, time)
            state.beats[id] = times
        }
    }

    /// The device's last heartbeat since start, committed or not.
    public func lastHeartbeat(_ id: String) -> Int64? {
        state.withLock { $0.beats[id]?.seen }
    }

    func apply(_ entry: DeviceDirectoryEntry) {
        state.withLock { state in
            if let held = state.devices[entry.id], held.revision > entry.revision { return }
            state.devices[entry.id] = entry
        }
    }

    /// An ID change moved the device's row (unless the new ID had one already, which then stays).
    func rename(from oldID: String, to newID: String) {
        state.withLock { state in
            guard state.devices[newID] == nil, var entry = state.devices.removeValue(forKey: oldID) else { return }
            entry.id = newID
            state.devices[newID] = entry
            if let beats = state.beats.removeValue(forKey: oldID) { state.beats[newID] = beats }
        }
    }

    /// Forgets a deleted device (its heartbeat times stay: they belong to the registration).
    func remove(_ id: String) {
        state.withLock { _ = $0.devices.removeValue(forKey: id) }
    }

    func apply(_ policy: StrategyPolicy) {
        state.withLock { state in
            if state.policy.revision > policy.revision { return }
            state.policy = policy
        }
    }
}
