/// Parses BIND for both servers: surrounding whitespace ignored, empty = all interfaces, otherwise an
/// IPv4 or IPv6 literal (no brackets, no zone) or a startup error.
enum BindAddress {
    static func parse(_ text: String?) throws(ConfigurationError) -> IPAddress? {
        guard let text else { return nil }
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        if trimmed.isEmpty { return nil }
        guard let address = IPAddress(trimmed) else {
            throw .invalidValue(option: .bind, value: trimmed, reason: .notAnIPAddress)
        }
        return address
    }
}
