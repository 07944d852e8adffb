extension StringProtocol {
    /// Without leading and trailing spaces and tabs (the only whitespace the API's names and lists allow
    /// around their values).
    var trimmingSpacesAndTabs: SubSequence {
        var trimmed = self[...]
        while let first = trimmed.first, first == " " || first == "\t" { trimmed = trimmed.dropFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
