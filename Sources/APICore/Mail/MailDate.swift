import RustDeskCore

/// The `Date:` header's form (RFC 5322 §3.3) of Unix seconds, always in UTC:
/// `Fri, 04 Dec 2026 14:19:27 +0000`.
public enum MailDate {
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func format(_ seconds: Int64) -> String {
        let days = CivilDate.floorDivide(seconds, 86_400)
        let (year, month, day) = CivilDate.date(daysSinceEpoch: days)
        let inDay = seconds - days * 86_400
        // 1 January 1970 was a Thursday.
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        return "\(weekday), \(two(day)) \(months[Int(month - 1)]) \(year) \(two(inDay / 3600)):\(two(inDay / 60 % 60))"
            + ":\(two(inDay % 60)) +0000"
    }

    /// `2026-12-04 14:19 UTC`, for text people read.
    public static func readable(_ seconds: Int64) -> String {
        let days = CivilDate.floorDivide(seconds, 86_400)
        let (year, month, day) = CivilDate.date(daysSinceEpoch: days)
        let inDay = seconds - days * 86_400
        return "\(year)-\(two(month))-\(two(day)) \(two(inDay / 3600)):\(two(inDay / 60 % 60)) UTC"
    }

    private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
