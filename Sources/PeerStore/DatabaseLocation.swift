/// Turns the `DB_URL` setting into a file path, the way rustdesk-server's sqlx does (spec hbbs.md §2.4):
/// a plain path, or a `sqlite://` / `sqlite:` prefixed one; a `?query` suffix is dropped and
/// `%XX` escapes are decoded. Used by hbbs configuration before `PeerDatabase.open`.
public struct DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// The default when DB_URL is unset or empty (non-Windows reference behaviour).
    public static let defaultPath = "./db_v2.sqlite3"

    /// The filesystem path to open; may be relative to the working directory.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Parses a DB_URL value; nil or empty gives `./db_v2.sqlite3`.
    public init(dbURL: String?) {
        guard let dbURL, !dbURL.isEmpty else {
            self.path = Self.defaultPath
            return
        }
        var text = Substring(dbURL)
        // Longer prefix first: "sqlite://x" names the file "x", like "sqlite:x".
        if text.hasPrefix("sqlite://") {
            text = text.dropFirst("sqlite://".count)
        } else if text.hasPrefix("sqlite:") {
            text = text.dropFirst("sqlite:".count)
        }
        if let query = text.firstIndex(of: "?") {
            text = text[..<query]
        }
        self.path = Self.percentDecoded(text)
    }

    public var description: String { path }

    /// sqlx percent-decodes the path; invalid escapes are kept literally rather than rejected.
    private static func percentDecoded(_ text: Substring) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
