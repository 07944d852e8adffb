/// Padded standard base64 (RFC 4648 §4), for mail (MIME bodies, encoded words, SMTP AUTH): the
/// base64url text with the two symbols that differ swapped back and the padding added.
public enum Base64 {
    public static func encode(_ bytes: [UInt8]) -> String {
        var text = String(Base64URL.encode(bytes).map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        while text.utf8.count % 4 != 0 { text += "=" }
        return text
    }
}
