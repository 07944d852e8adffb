import APICore
import Testing

@Suite struct AuditTimeFilterTests {
    @Test(arguments: [
        ("1970-01-01 00:00:00", Int64(0)), ("2026-12-04 12:00:00.000", 1_796_385_600),
        ("2026-12-04T12:00:00", 1_796_385_600), ("2000-02-29 23:59:59.5", 951_868_799),
    ])
    func readsUTCTimes(_ text: String, _ seconds: Int64) {
        #expect(AuditTimeFilter.unixSeconds(text) == seconds)
    }

    @Test(arguments: [
        "", "2026-12-04", "2026-13-01 00:00:00", "2026-02-29 00:00:00", "2026-12-04 24:00:00", "2026-12-04 12:00:00.",
        "2026-12-04 12:00:00Z", "2026-12-04 12:0a:00", "１９７０-01-01 00:00:00",
    ])
    func refusesOtherText(_ text: String) {
        #expect(AuditTimeFilter.unixSeconds(text) == nil)
    }
}

@Suite struct NaiveUTCTimeTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00"), (1_796_385_600, "2026-12-04T12:00:00"), (951_868_799, "2000-02-29T23:59:59"),
        (-1, "1969-12-31T23:59:59"),
    ])
    func writesNaiveUTC(_ seconds: Int64, _ text: String) {
        #expect(NaiveUTCTime.text(seconds) == text)
        #expect(AuditTimeFilter.unixSeconds(text) == seconds)
    }
}
