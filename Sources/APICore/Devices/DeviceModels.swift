/// What a device reported in its last `POST /api/sysinfo` (http-api.md §2.2), each field bounded.
/// `raw` is the JSON object as it arrived, kept for the console and for presets handled later.
public struct DeviceSysinfo: Sendable, Equatable {
    public var cpu: String
    public var memory: String
    public var os: String
    public var hostname: String
    public var username: String
    public var version: String
    public var raw: String

    /// Longest value kept per field; clients send a few dozen characters.
    public static let maxFieldLength = 512

    public init(
        cpu: String = "", memory: String = "", os: String = "", hostname: String = "", username: String = "",
        version: String = "", raw: String = "{}"
    ) {
        self.cpu = Self.bounded(cpu)
        self.memory = Self.bounded(memory)
        self.os = Self.bounded(os)
        self.hostname = Self.bounded(hostname)
        self.username = Self.bounded(username)
        self.version = Self.bounded(version)
        self.raw = raw
    }

    static func bounded(_ text: String) -> String {
        text.count <= maxFieldLength ? text : String(text.prefix(maxFieldLength))
    }
}

/// A device row: one RustDesk ID, the same device that registered over UDP (the `peer` table's `id`).
public struct Device: Sendable, Equatable {
    /// The RustDesk ID.
    public var id: String
    public var guid: String
    /// The base64 uuid the device last identified itself with.
    public var uuid: String
    public var ownerID: User.ID?
    public var groupID: DeviceGroup.ID?
    public var strategyID: Strategy.ID?
    public var note: String
    /// Nil until the device uploaded its sysinfo.
    public var sysinfo: DeviceSysinfo?
    /// The server's `sysinfo_ver` when this sysinfo was stored.
    public var sysinfoVersion: String
    /// Unix seconds; nil before the first heartbeat.
    public var lastHeartbeatAt: Int64?
    /// An administrator disabled it: hbbs refuses connections to it (devices.py `disable`).
    public var disabled: Bool
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, guid: String, uuid: String, ownerID: User.ID? = nil, groupID: DeviceGroup.ID? = nil,
        strategyID: Strategy.ID? = nil, note: String = "", sysinfo: DeviceSysinfo? = nil, sysinfoVersion: String = "",
        lastHeartbeatAt: Int64? = nil, disabled: Bool = false, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.guid = guid
        self.uuid = uuid
        self.ownerID = ownerID
        self.groupID = groupID
        self.strategyID = strategyID
        self.note = note
        self.sysinfo = sysinfo
        self.sysinfoVersion = sysinfoVersion
        self.lastHeartbeatAt = lastHeartbeatAt
        self.disabled = disabled
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A folder of devices (admin-api.md device groups); its members may share a strategy.
public struct DeviceGroup: Sendable, Equatable {
    public typealias ID = Int64

    public var id: ID
    public var guid: String
    /// Unique without regard to case.
    public var name: String
    public var note: String
    public var strategyID: Strategy.ID?

    public init(id: ID, guid: String, name: String, note: String = "", strategyID: Strategy.ID? = nil) {
        self.id = id
        self.guid = guid
        self.name = name
        self.note = note
        self.strategyID = strategyID
    }
}

/// A strategy: client options the server pushes through the heartbeat (http-api.md §2.1).
/// `modifiedAt` is the stamp the client echoes back; the store keeps it unique across strategies
/// and growing with every change, so a different stamp always means different options.
public struct Strategy: Sendable, Equatable {
    public typealias ID = Int64

    public var id: ID
    public var guid: String
    public var name: String
    /// Client option key → value (`config_options`).
    public var options: [String: String]
    public var extra: [String: String]
    public var modifiedAt: Int64
    /// A disabled strategy manages nothing: devices under it get no strategy (as in Pro).
    public var enabled: Bool

    public init(
        id: ID, guid: String, name: String, options: [String: String] = [:], extra: [String: String] = [:],
        modifiedAt: Int64, enabled: Bool = true
    ) {
        self.id = id
        self.guid = guid
        self.name = name
        self.options = options
        self.extra = extra
        self.modifiedAt = modifiedAt
        self.enabled = enabled
    }
}
