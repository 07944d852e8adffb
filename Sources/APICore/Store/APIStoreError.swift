/// Why a store operation failed, as the API's services see it; no SQL text reaches a client.
public enum APIStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A unique name or key already exists (a second user `alice`, a duplicate tag).
    case conflict
    /// The row to change does not exist (any more).
    case notFound
    /// The database did not take the operation (I/O, lock timeout, shut down); `reason` is for logs only.
    case unavailable(reason: String)

    public var description: String {
        switch self {
        case .conflict: "already exists"
        case .notFound: "not found"
        case .unavailable(let reason): "store unavailable: \(reason)"
        }
    }
}
