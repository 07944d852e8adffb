/// How a relay half reached hbbr; the two halves' transports decide how units cross a pair (hbbr.md §6.1).
public enum RelayTransport: Sendable, Equatable {
    /// Plain TCP on PORT: raw bytes when both halves are TCP, framed units otherwise.
    case tcp
    /// WebSocket on PORT+2: one unit per binary message.
    case webSocket
}

/// What the waiting table parks: anything that knows its transport, so a pairing can choose the relay.
public protocol RelayHalf {
    var transport: RelayTransport { get }
}

/// The fields of a RequestRelay that hbbr reads (hbbr.md §5 step 6: the others are ignored).
public struct RelayRequest: Equatable, Sendable {
    public var uuid: String
    public var licenceKey: String

    public init(uuid: String, licenceKey: String) {
        self.uuid = uuid
        self.licenceKey = licenceKey
    }
}
