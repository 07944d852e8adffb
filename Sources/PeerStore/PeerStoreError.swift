import GRDB

/// Every failure the peer store reports: opening, queue admission, and SQLite errors.
/// Callers (hbbs startup, the RegisterPk handler) log it and map it to a reply; it is
/// `Equatable` so tests can match cases.
public enum PeerStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database could not be opened or prepared; fatal at hbbs startup (spec hbbs.md §2.4).
    case openFailed(path: String, reason: String)
    /// The write queue already holds `capacity` operations; the caller should answer SERVER_ERROR.
    case queueFull(capacity: Int)
    /// The writer has been shut down and accepts nothing more.
    case closed
    /// SQLite refused a statement; `code` is the extended result code (e.g. 2067 = unique constraint).
    case sqlite(code: Int32, message: String)
    /// A stored row had a value of an unusable type (e.g. an integer guid).
    case malformedRow(reason: String)

    /// SQLITE_CONSTRAINT_UNIQUE or SQLITE_CONSTRAINT_PRIMARYKEY: a duplicate id or guid.
    public var isUniqueViolation: Bool {
        if case .sqlite(let code, _) = self { return code == 2067 || code == 1555 }
        return false
    }

    public var description: String {
        switch self {
        case .openFailed(let path, let reason): "cannot open peer database at '\(path)': \(reason)"
        case .queueFull(let capacity): "peer store write queue is full (\(capacity) pending operations)"
        case .closed: "peer store writer is shut down"
        case .sqlite(let code, let message): "peer store SQLite error \(code): \(message)"
        case .malformedRow(let reason): "malformed peer row: \(reason)"
        }
    }

    /// Maps anything GRDB throws to a store error, keeping the SQLite code when there is one.
    init(_ error: any Error) {
        if let storeError = error as? PeerStoreError {
            self = storeError
        } else if let databaseError = error as? DatabaseError {
            self = .sqlite(
                code: databaseError.extendedResultCode.rawValue, message: databaseError.message ?? "\(databaseError)")
        } else {
            self = .sqlite(code: 1, message: "\(error)")
        }
    }
}
