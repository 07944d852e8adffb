import RustDeskCore

/// UTC timestamps in the form chrono's `to_rfc3339_opts(SecondsFormat::Secs, true)` writes them
/// (`2024-01-02T03:04:05Z`), for console `pr`. Pure; no Foundation needed.
enum RFC3339 {
    static func utcSeconds(_ unixSeconds: Int64) -> String {
        let days = floorDivide(unixSeconds, 86_400)
        let secondOfDay = unixSeconds &- days &* 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let time = [secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60].map { pad($0, 2) }
        return "\(yearText(year))-\(pad(month, 2))-\(pad(day, 2))T" + time.joined(separator: ":") + "Z"
    }

    /// Proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's days-to-civil algorithm).
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSinceEpoch &+ 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted &- era &* 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra &+ era &* 400 &+ (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// chrono writes four digits for years 0...9999 and a sign outside that range.
    private static func yearText(_ year: Int64) -> String {
        if year < 0 { return "-" + pad(0 &- year, 4) }
        return year > 9999 ? "+" + String(year) : pad(year, 4)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
