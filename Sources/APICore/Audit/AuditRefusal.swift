/// Why the audit service did not take a record or a note; the route turns each into a status and a
/// short `{"error": ...}`.
public enum AuditRefusal: Error, Sendable, Equatable {
    /// `id` + `uuid` do not name a device registered with hbbs.
    case unknownDevice
    /// A required field is missing or a field is out of bounds; the text says which, briefly.
    case invalid(String)
    /// No connection matches the note.
    case notFound
    /// The store did not take the write (the client retries 5xx).
    case unavailable
}

/// What happened to an accepted record.
public enum AuditWrite: Sendable, Equatable {
    case stored
    /// Its nonce was applied before: a retry of a record already stored.
    case duplicate
}
