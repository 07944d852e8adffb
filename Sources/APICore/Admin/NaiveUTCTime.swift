import RustDeskCore

/// devices.py's `last_online`: `YYYY-MM-DDTHH:MM:SS` in UTC without a zone suffix (the script parses
/// it naively and compares it with `utcnow()`).
public enum NaiveUTCTime {
    public static func text(_ seconds: Int64) -> String {
        let days = CivilDate.floorDivide(seconds, 86_400)
        let clock = seconds - days * 86_400
        let (year, month, day) = CivilDate.date(daysSinceEpoch: days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(clock / 3600)):\(two(clock % 3600 / 60)):\(two(clock % 60))"
    }
}
