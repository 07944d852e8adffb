import Synchronization

/// Owns the serial and rendezvous-server list that a loopback ConfigUpdate may replace at run time
/// (spec/hbbs.md §5.4), and hands the newer pair to clients whose serial is older.
public final class ConfigUpdates: Sendable {
    /// Guards the serial and the list, which change together.
    private let current: Mutex<(serial: Int32, servers: [String])>
    /// The serial alone, so a heartbeat checks it without taking the lock (it almost never changes).
    private let currentSerial: Atomic<Int32>

    public init(serial: Int32, servers: [String]) {
        current = Mutex((serial, servers))
        currentSerial = Atomic(serial)
    }

    public var serialAndServers: (serial: Int32, servers: [String]) { current.withLock { $0 } }

    /// Installs a serial and its servers unless a newer serial got there first: updates are resolved
    /// concurrently, so a slow older one may finish last, and the serial must never go back. True when
    /// installed.
    @discardableResult
    public func replace(serial: Int32, servers: [String]) -> Bool {
        current.withLock { current in
            guard serial > current.serial else { return false }
            current = (serial, servers)
            currentSerial.store(serial, ordering: .relaxed)
            return true
        }
    }

    /// Our serial and servers when the client's serial is older; nil otherwise.
    public func newer(than clientSerial: Int32) -> (serial: Int32, servers: [String])? {
        guard currentSerial.load(ordering: .relaxed) > clientSerial else { return nil }
        let pair = serialAndServers
        return pair.serial > clientSerial ? pair : nil
    }
}
