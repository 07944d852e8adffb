import RustDeskCore

/// The decisions of an ID change (RegisterPk with `old_id`, messages.md §3.8; the client's "change
/// ID" sends it over TCP with its uuid and no key). hbbs moves the record when the uuid matches the
/// one the old ID registered with and the new ID is free, under the per-ID burst limit of §5.2.
public enum IDChangeRules {
    /// The client's rule for a custom ID: a letter, then 5 to 15 letters, digits or `_` (ASCII here).
    public static func isValidCustomID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (6...16).contains(bytes.count), let first = bytes.first, isLetter(first) else { return false }
        return bytes.dropFirst().allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// Checks the old ID's record under its shard lock and counts the attempt in its burst window:
    /// the record to move, or the answer. The record stays where it is until the new ID holds it.
    public static func take(_ record: inout RegisteredPeer?, uuid: [UInt8], now: Milliseconds)
        -> Result<RegisteredPeer, IDChangeRefusal>
    {
        guard var peer = record, peer.hasPk, !uuid.isEmpty, peer.uuid == uuid else { return .failure(.uuidMismatch) }
        guard RegistrationRules.countBurst(&peer, now: now) else { return .failure(.tooFrequent) }
        record = peer
        return .success(peer)
    }

    /// Places `peer` at the new ID (under that shard lock) unless the ID is taken.
    public static func place(_ record: inout RegisteredPeer?, _ peer: RegisteredPeer) -> Bool {
        guard record == nil else { return false }
        record = peer
        return true
    }

    /// Removes the old record if it is still the one that moved (same guid); false when it changed
    /// meanwhile (another change of the same ID won).
    public static func release(_ record: inout RegisteredPeer?, guid: [UInt8]) -> Bool {
        guard let peer = record, peer.guid == guid else { return false }
        record = nil
        return true
    }
}

/// Why an ID change is refused (each a RegisterPkResponse result).
public enum IDChangeRefusal: Error, Sendable, Equatable {
    case notAllowed, invalidID, uuidMismatch, idExists, tooFrequent, serverError

    public var result: RegisterPkResult {
        switch self {
        case .notAllowed: .notSupport
        case .invalidID: .invalidIDFormat
        case .uuidMismatch: .uuidMismatch
        case .idExists: .idExists
        case .tooFrequent: .tooFrequent
        case .serverError: .serverError
        }
    }
}
