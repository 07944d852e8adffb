import APICore
import Foundation
import Hummingbird

/// An admin route's query, read as the scripts send it: `application/x-www-form-urlencoded`, where
/// Python's `requests` writes a space as `+` (and a literal plus as `%2B`). Hummingbird's
/// `queryParameters` only percent-decodes, so `created_at=2026-12-04+12:00:00.000` and
/// `name=John+Doe` would keep their pluses.
struct AdminQuery {
    private var values: [String: String] = [:]

    init(_ request: Request) {
        guard let query = request.uri.query else { return }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            // The first occurrence wins, as with `queryParameters.get`.
            if let value, values[name] == nil { values[name] = value }
        }
    }

    subscript(name: String) -> String? { values[name] }

    /// `current` and `pageSize`, clamped.
    var page: PageRequest { PageRequest(current: self["current"], pageSize: self["pageSize"]) }

    /// A LIKE filter from the parameter `name`.
    func like(_ name: String) -> LikeFilter? { LikeFilter(self[name]) }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
