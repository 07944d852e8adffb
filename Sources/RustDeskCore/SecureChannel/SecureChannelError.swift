/// Why a secure-TCP handshake or sealed unit was refused (spec/wire.md §4). Every case is fatal for
/// the connection; none carries key material.
public enum SecureChannelError: Error, Equatable, Sendable {
    /// The KeyExchange did not hold the expected number of keys (server: 2, client: 1).
    case wrongKeyCount(Int)
    /// A key in the KeyExchange had the wrong length (index in `keys`, its length).
    case wrongKeyLength(index: Int, length: Int)
    /// The server's signed box key did not verify with the configured public key.
    case signatureMismatch
    /// The configured server public key is not 32 bytes.
    case invalidServerPublicKey
    /// The sealed session key did not open, or a sealed unit failed its MAC (wrong key, replay, reorder).
    case decryptionFailed
    /// The first unit was not a RendezvousMessage at all.
    case malformedReply
    /// The connection already failed; nothing more goes in or out.
    case connectionFailed
    /// A sequence counter would wrap; never reached in practice (2^64 units).
    case sequenceExhausted
    /// libsodium failed outside of authentication (initialisation, key generation).
    case sodium(SodiumError)
}
