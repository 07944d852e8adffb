/// hbbs's side of `rustdesk --deploy` (http-api.md §8.1): pre-registers a device's ID with its uuid
/// and key, as its RegisterPk would, so the ID is the device's before it first registers. hbbs
/// implements it over its registry and peer store.
public protocol DeviceDeployment: Sendable {
    func deploy(id: String, uuid: [UInt8], pk: [UInt8]) async -> DeployOutcome
}

/// The `result` the client reads.
public enum DeployOutcome: String, Sendable, Equatable {
    case ok = "OK"
    /// The ID, uuid or key is malformed.
    case invalidInput = "INVALID_INPUT"
    /// Another device (another uuid) holds the ID.
    case idTaken = "ID_TAKEN"
    /// Not sent by hbbs: deployment is always on (the client then says the server does not require it).
    case notEnabled = "NOT_ENABLED"
    /// The registration could not be stored (answered 503, not as a `result`).
    case unavailable = "UNAVAILABLE"

    /// What a deployable ID looks like: 6 to 64 ASCII letters, digits, `_` or `-` (numeric IDs included).
    public static func isDeployableID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        return (6...64).contains(bytes.count)
            && bytes.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == 0x5F || byte == 0x2D
            }
    }
}
