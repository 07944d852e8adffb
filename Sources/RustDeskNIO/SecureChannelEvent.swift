/// What `SecureChannelHandler` tells the handlers behind it, as a user inbound event: they may serve
/// what must never travel in plaintext (bearer tokens) only once `.secured` has passed.
public enum SecureChannelEvent: Sendable, Equatable {
    /// The client's KeyExchange opened: every later unit in both directions is sealed.
    case secured
}
