/// One file transfer (or clipboard file copy) a device reported (http-api.md §6.2).
public struct FileAudit: Sendable, Equatable {
    public var deviceID: String
    /// The controller's ID.
    public var peerID: String
    public var connID: Int64
    /// 0: the device sent files to the controller; 1: it received them.
    public var type: Int64
    public var path: String
    public var isFile: Bool
    /// The client's JSON text `{ip, name, num, files: [[name, size], …]}`, stored as sent.
    public var info: String
    /// Unix seconds, set when it was received.
    public var createdAt: Int64

    public init(
        deviceID: String, peerID: String, connID: Int64, type: Int64, path: String, isFile: Bool, info: String,
        createdAt: Int64 = 0
    ) {
        self.deviceID = deviceID
        self.peerID = peerID
        self.connID = connID
        self.type = type
        self.path = path
        self.isFile = isFile
        self.info = info
        self.createdAt = createdAt
    }
}
