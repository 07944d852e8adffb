#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `info` column: a JSON object `{"ip":"<text>"}` (spec hbbs.md §2.4). Encoded by the writer,
/// decoded when rows are read. Unknown keys are ignored; missing, non-string or invalid → "".
enum PeerInfo {
    /// Same bytes serde_json writes for the reference `PeerInfo { ip }`: no spaces, `/` unescaped.
    static func encode(ip: String) -> String {
        // IP text never needs escaping; one concatenation instead of an append per character (this
        // runs on the writer's thread for every saved registration).
        if !ip.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return #"{"ip":""# + ip + #""}"#
        }
        var json = #"{"ip":""#
        for scalar in ip.unicodeScalars {
            switch scalar {
            case "\"": json += #"\""#
            case "\\": json += #"\\"#
            case "\n": json += #"\n"#
            case "\r": json += #"\r"#
            case "\t": json += #"\t"#
            case "\u{08}": json += #"\b"#
            case "\u{0C}": json += #"\f"#
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                json += #"\u"# + String(repeating: "0", count: 4 - hex.count) + hex
            default: json.unicodeScalars.append(scalar)
            }
        }
        json += #""}"#
        return json
    }

    /// Returns the ip text, or "" when the JSON is missing, invalid or has no string `ip`.
    static func decodeIP(_ json: String) -> String {
        if let fast = fastPath(json) { return fast }
        struct Info: Decodable { var ip: String? }
        let decoded = try? JSONDecoder().decode(Info.self, from: Data(json.utf8))
        return decoded?.ip ?? ""
    }

    /// Rows we and the reference write are exactly `{"ip":"…"}` with no escapes; parsing those by
    /// hand keeps loading a million rows cheap. Anything else goes through the real decoder.
    private static func fastPath(_ json: String) -> String? {
        let prefix = #"{"ip":""#
        let suffix = #""}"#
        guard json.hasPrefix(prefix), json.hasSuffix(suffix), json.utf8.count >= prefix.utf8.count + suffix.utf8.count
        else { return nil }
        let body = json.utf8.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count)
        guard !body.contains(UInt8(ascii: "\"")), !body.contains(UInt8(ascii: "\\")),
            !body.contains(where: { $0 < 0x20 })
        else { return nil }
        return String(Substring(body))
    }
}
