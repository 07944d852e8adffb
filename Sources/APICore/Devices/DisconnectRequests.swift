import Synchronization

/// Connections an administrator asked a device to close ("disconnect from web console"): queued in
/// memory per RustDesk ID and handed out once, in the `disconnect` key of that device's next
/// heartbeat (http-api.md §2.1). Nothing here is durable: a request that waits longer than
/// `lifetimeSeconds` (the device is gone) is dropped. Bounded in devices and ids per device.
/// The admin API calls `request`; `DeviceService.heartbeat` calls `take`.
public final class DisconnectRequests: Sendable {
    public let lifetimeSeconds: Int64
    public let maxDevices: Int
    public let maxConnectionsPerDevice: Int
    /// Guards the queued ids per device.
    private let queued = Mutex<[String: Pending]>([:])

    private struct Pending {
        var connIDs: [Int32]
        var expiresAt: Int64
    }

    public init(lifetimeSeconds: Int64 = 300, maxDevices: Int = 10_000, maxConnectionsPerDevice: Int = 64) {
        self.lifetimeSeconds = lifetimeSeconds
        self.maxDevices = maxDevices
        self.maxConnectionsPerDevice = maxConnectionsPerDevice
    }

    /// Queues `connIDs` (the client's connection ids, i32) for `deviceID`; false when the queue is full.
    @discardableResult
    public func request(deviceID: String, connIDs: [Int32], now: Int64) -> Bool {
        guard !connIDs.isEmpty else { return true }
        return queued.withLock { queued in
            if queued[deviceID] == nil, queued.count >= maxDevices {
                queued = queued.filter { $0.value.expiresAt > now }
                guard queued.count < maxDevices else { return false }
            }
            var pending = queued[deviceID] ?? Pending(connIDs: [], expiresAt: 0)
            for id in connIDs where !pending.connIDs.contains(id) {
                guard pending.connIDs.count < maxConnectionsPerDevice else { break }
                pending.connIDs.append(id)
            }
            pending.expiresAt = now + lifetimeSeconds
            queued[deviceID] = pending
            return true
        }
    }

    /// The ids queued for `deviceID`, removing them; empty when none (or they expired).
    public func take(deviceID: String, now: Int64) -> [Int32] {
        queued.withLock { queued in
            guard let pending = queued.removeValue(forKey: deviceID), pending.expiresAt > now else { return [] }
            return pending.connIDs
        }
    }

    public var count: Int { queued.withLock { $0.count } }
}
