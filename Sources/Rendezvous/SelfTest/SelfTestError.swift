import RendezvousCore
import RustDeskCore

/// Why the UDP self-test could not start or failed.
public enum SelfTestError: Error, Equatable, Sendable {
    /// TEST_HBBS is neither empty, `no`, nor a socket address (a start-up error, as in the reference).
    case invalidTarget(String)
    /// The TCP PORT listener's local address is not an IP socket address.
    case unsupportedListenerAddress(String)
    /// No parseable reply for longer than the threshold.
    case noReply(target: SocketAddr)
    /// The probe socket could not be bound or a send failed.
    case socket(target: SocketAddr, reason: String)
}
