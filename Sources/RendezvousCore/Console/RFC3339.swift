import RustDeskCore

/// UTC timestamps in the form chrono's `to_rfc3339_opts(SecondsFormat::Secs, true)` writes them
/// (`2024-01-02T03:04:05Z`), for console `pr`. Pure; no Foundation needed.
enum RFC3339 {
    static func utcSeconds(_ unixSeconds: Int64) -> String {
        let days = CivilDate.floorDivide(unixSeconds, 86_400)
        let secondOfDay = unixSeconds &- days &* 86_400
        let (year, month, day) = CivilDate.date(daysSinceEpoch: days)
        let time = [secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60].map { pad($0, 2) }
        return "\(yearText(year))-\(pad(month, 2))-\(pad(day, 2))T" + time.joined(separator: ":") + "Z"
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
}
