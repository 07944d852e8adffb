/// `POST /api/heartbeat` (http-api.md §2.1) as the service sees it.
public struct Heartbeat: Sendable, Equatable {
    public var id: String
    public var uuid: String
    /// The client's encoded version (1.4.9 → 1004090); informational.
    public var version: Int64
    /// The client's incoming connection ids.
    public var connIDs: [Int32]
    /// The strategy stamp the client holds (0 = none).
    public var modifiedAt: Int64

    public init(id: String, uuid: String, version: Int64 = 0, connIDs: [Int32] = [], modifiedAt: Int64 = 0) {
        self.id = id
        self.uuid = uuid
        self.version = version
        self.connIDs = connIDs
        self.modifiedAt = modifiedAt
    }
}

/// The heartbeat's answer, every part optional; all empty encodes as `{}` ("nothing to do").
public struct HeartbeatAnswer: Sendable, Equatable {
    /// The server holds no sysinfo for this device: the client must upload it.
    public var needsSysinfo: Bool
    /// Connections to close.
    public var disconnect: [Int32]
    /// A new strategy (or none) to apply.
    public var strategy: StrategyPush?

    public init(needsSysinfo: Bool = false, disconnect: [Int32] = [], strategy: StrategyPush? = nil) {
        self.needsSysinfo = needsSysinfo
        self.disconnect = disconnect
        self.strategy = strategy
    }

    public static let nothing = HeartbeatAnswer()
}
