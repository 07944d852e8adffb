import RustDeskCore

/// Console `ib` and `ic` (spec/hbbs.md §12): purge, count, look up or remove one key, or list ten.
/// Rust lists in HashMap order, which is unspecified; we list keys sorted by their UTF-8 bytes.
extension HbbsConsole {
    static let listingPageSize = 10
    /// `ic` takes a number as a start index only in this range; other numbers are IDs.
    static let ipChangesStartRange: ClosedRange<Int32> = 0...10_000_000

    func ipBlocker(_ line: inout ConsoleCommandLine) -> String {
        let now = now()
        let argument = line.next()
        let removeFlag = line.next() == "-"
        // Rust parses with `i32` and treats a failure like a negative number: an IP to look up.
        let number = argument.map { RustNumberParsing.int32($0) ?? -1 } ?? -1
        let key = number < 0 ? argument : nil
        let start = number < 0 && argument == nil ? 0 : number
        let seen = tables.ipActivity.inspectBlocker(now: now, key: key, remove: removeFlag, list: start >= 0)
        return Self.reply(seen, from: start) { Self.describe($0, now: now) }
    }

    func ipChanges(_ line: inout ConsoleCommandLine) -> String {
        let now = now()
        let argument = line.next()
        let removeFlag = line.next() == "-"
        let number = argument.map { RustNumberParsing.int32($0) ?? -1 } ?? -1
        // A numeric ID above the range is looked up as an ID and also kept as a start index, so it
        // lists too (reference quirk, spec §12); with fewer entries than that it lists nothing.
        let isStartIndex = Self.ipChangesStartRange.contains(number)
        let key = isStartIndex ? nil : argument
        let start = !isStartIndex && argument == nil ? 0 : number
        let seen = tables.ipActivity.inspectChanges(now: now, key: key, remove: removeFlag, list: start >= 0)
        return Self.reply(seen, from: start) { Self.describe($0, now: now) }
    }

    /// The count, the looked-up entry, then up to ten entries from `start`.
    private static func reply<Entry>(
        _ seen: IPActivity.Inspection<Entry>, from start: Int32, describe: (Entry) -> String
    ) -> String {
        var reply = "\(seen.count)\n"
        if let entry = seen.entry { reply += describe(entry) + "\n" }
        return reply + listing(seen.entries, from: start, describe: describe)
    }

    /// `<key>: <entry>` lines for up to ten entries from `start` in key byte order.
    private static func listing<Entry>(
        _ entries: [String: Entry],
        from start: Int32,
        describe: (Entry) -> String
    ) -> String {
        guard start >= 0, Int(start) < entries.count else { return "" }
        let sorted = entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        return sorted.dropFirst(Int(start)).prefix(listingPageSize).map { "\($0.key): \(describe($0.value))\n" }
            .joined()
    }

    /// `<count>/<age>s <ids>/<age>s`
    private static func describe(_ entry: IPBlocker.Entry, now: Milliseconds) -> String {
        let countAge = now.wholeSeconds(since: entry.countTime)
        let idsAge = now.wholeSeconds(since: entry.idsTime)
        return "\(entry.count)/\(countAge)s \(entry.ids.count)/\(idsAge)s"
    }

    /// `<age>s {"ip": n, …}`
    private static func describe(_ entry: IPChangeLog.Entry, now: Milliseconds) -> String {
        "\(now.wholeSeconds(since: entry.time))s " + RustDebugFormat.map(entry.counts)
    }
}
