import RustDeskCore

/// Rust's `{}` for `f64`: the shortest text that round-trips, never in exponent form and without a
/// trailing `.0` (`32`, `0.66`, `0.0000001`). Used by the hbbr console.
public enum RustFloatDisplay {
    public static func text(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-inf" : "inf") }
        let shortest = "\(value)"
        let expanded = shortest.contains("e") ? expand(shortest) : shortest
        return expanded.hasSuffix(".0") ? String(expanded.dropLast(2)) : expanded
    }

    /// Turns Swift's exponent form (`1e-07`, `1.5e+20`) into plain decimal digits.
    private static func expand(_ text: String) -> String {
        let parts = text.split(separator: "e", maxSplits: 1)
        guard parts.count == 2, let exponent = Int(parts[1].filter { $0 != "+" }) else {
            return text
        }
        var mantissa = String(parts[0])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let pieces = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(pieces.first ?? "")
        let fraction = pieces.count > 1 ? String(pieces[1]) : ""
        let digits = integer + fraction
        let point = integer.count + exponent
        var result: String
        if point <= 0 {
            result = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            result = digits + String(repeating: "0", count: point - digits.count)
        } else {
            let split = digits.index(digits.startIndex, offsetBy: point)
            result = digits[..<split] + "." + digits[split...]
        }
        while result.hasPrefix("0"), result.count > 1, !result.hasPrefix("0.") { result.removeFirst() }
        return (negative ? "-" : "") + result
    }
}
