/// A list filter as RustDesk's admin scripts send it (admin-api.md §1): `%v%` for "contains", the raw
/// value for an exact match (case-insensitive either way), `-` for "none" (an empty or unassigned
/// value). Only `%` is a wildcard: `_` and `\` match themselves, so a name like `john_doe` is not a
/// pattern. The store binds `pattern` as a parameter of `LIKE ? ESCAPE '\'`; it never becomes SQL.
public enum LikeFilter: Sendable, Equatable {
    case pattern(String)
    case unassigned

    /// nil for a missing or empty value: no filter.
    public init?(_ value: String?) {
        guard let value, !value.isEmpty else { return nil }
        if value == "-" {
            self = .unassigned
            return
        }
        var escaped = ""
        for character in value {
            if character == "\\" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        self = .pattern(escaped)
    }
}
