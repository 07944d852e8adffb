/// The session cipher of one secured connection (spec/wire.md §4.4): a secretbox key and the two
/// independent sequence counters, "sent" and "received", each incremented before use so the first
/// unit in each direction uses sequence 1. Owned by one connection's handler; not shared.
public struct SecureChannelCipher: Sendable {
    /// Wire overhead of a sealed unit: the 16-byte MAC in front of the ciphertext.
    public static let overhead = Sodium.secretBoxMACBytes

    private let key: [UInt8]
    /// Sequence number of the last sealed unit; 0 before the first.
    public private(set) var sentSequence: UInt64 = 0
    /// Sequence number of the last opened unit; 0 before the first.
    public private(set) var receivedSequence: UInt64 = 0

    /// `key` must be the 32-byte secretbox key K of the handshake.
    public init(key: [UInt8]) throws(SecureChannelError) {
        guard key.count == Sodium.secretBoxKeyBytes else {
            throw .wrongKeyLength(index: 1, length: key.count)
        }
        self.key = key
    }

    /// 24 bytes: `sequence` little-endian in bytes 0..7, bytes 8..23 zero.
    public static func nonce(sequence: UInt64) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: Sodium.secretBoxNonceBytes)
        for index in 0..<8 {
            nonce[index] = UInt8(truncatingIfNeeded: sequence >> (8 * UInt64(index)))
        }
        return nonce
    }

    /// True for payloads the receiver delivers as they are (length 0 or 1): heartbeats.
    public static func isPassThrough(_ count: Int) -> Bool { count <= 1 }

    /// Seals one outbound payload with the next send sequence number. An empty payload is a heartbeat
    /// and goes out as it is, without using a sequence number (senders bypass encryption for it).
    public mutating func seal(_ payload: [UInt8]) throws(SecureChannelError) -> [UInt8] {
        guard !payload.isEmpty else { return payload }
        guard sentSequence < UInt64.max else { throw .sequenceExhausted }
        sentSequence += 1
        do throws(SodiumError) {
            return try Sodium.secretBoxSeal(payload, nonce: Self.nonce(sequence: sentSequence), key: key)
        } catch {
            throw .sodium(error)
        }
    }

    /// Opens one inbound payload with the next receive sequence number. Payloads of length 0 or 1 are
    /// returned as they are and do not advance the counter; a MAC failure (wrong key, replayed or
    /// reordered unit) throws `decryptionFailed`, which must end the connection.
    public mutating func open(_ payload: [UInt8]) throws(SecureChannelError) -> [UInt8] {
        guard !Self.isPassThrough(payload.count) else { return payload }
        guard receivedSequence < UInt64.max else { throw .sequenceExhausted }
        receivedSequence += 1
        do throws(SodiumError) {
            return try Sodium.secretBoxOpen(payload, nonce: Self.nonce(sequence: receivedSequence), key: key)
        } catch .decryptionFailed {
            throw .decryptionFailed
        } catch {
            throw .sodium(error)
        }
    }
}
