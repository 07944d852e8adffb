/// Why a server closed a connection it did not like. Counted per reason so an operator (and the
/// tests) can see what hostile or broken clients are doing without reading debug logs.
public enum CloseReason: String, CaseIterable, Sendable {
    /// A frame or message that does not parse, or an empty unit where one is not allowed.
    case malformedUnit = "malformed-unit"
    /// A frame or WebSocket message above the configured maximum.
    case oversized
    /// Nothing received within the timeout.
    case timeout
    /// A WebSocket protocol error (bad framing, too many fragments, bad control frame).
    case webSocketError = "websocket-error"
    /// An HTTP request on a WebSocket port that did not upgrade, or a broken handshake.
    case failedUpgrade = "failed-upgrade"
    /// Secure TCP: a malformed KeyExchange reply, or a unit that fails its MAC.
    case secureChannelFailure = "secure-channel"
    /// hbbr: the first unit is not a RequestRelay, or it has no uuid.
    case badRequestRelay = "bad-request-relay"
    case licenceMismatch = "licence-mismatch"
    /// hbbr: the IP is on the blocklist.
    case blocked
    /// hbbr: the table of waiting halves is full.
    case waitingTableFull = "waiting-table-full"
}
