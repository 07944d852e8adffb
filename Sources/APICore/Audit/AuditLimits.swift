/// How much of each audit field is kept. The records are machine-made, and a refused record is lost
/// (the client drops it on any 4xx), so overlong text is cut at a character boundary rather than
/// refused; only `info` (JSON that a cut would break) and `nonce` are refused when too long.
public enum AuditLimits {
    /// IDs, names, addresses, `conn_audit_ref`.
    public static let text = 256
    public static let path = 4096
    /// Notes typed by the controller's user.
    public static let note = 4096
    /// The JSON text of file and alarm records; the route's body limit (64 KiB) already bounds it.
    public static let info = 60 * 1024
    /// Clients send a UUID (36 characters).
    public static let nonce = 128
    /// Nonces are remembered this long (the client stops retrying after 120 s).
    public static let nonceRetentionSeconds: Int64 = 86_400
}

extension String {
    /// At most `limit` UTF-8 bytes of the text, cut at a character boundary.
    func truncated(toUTF8 limit: Int) -> String {
        guard utf8.count > limit else { return self }
        var bytes = 0
        var end = startIndex
        for index in indices {
            let size = self[index].utf8.count
            guard bytes + size <= limit else { break }
            bytes += size
            end = self.index(after: index)
        }
        return String(self[..<end])
    }
}
