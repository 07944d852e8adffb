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
        var start = argument.map { RustNumberParsing.int32($0) ?? -1 } ?? -1
        let (reply, snapshot) = state.ipBlocker.withLock { blocker in
            blocker.purgeExpired(now: now)
            var reply = "\(blocker.entries.count)\n"
            if start < 0 {
                if let ip = argument {
                    if let entry = blocker.entries.exactValue(forKey: ip) {
                        reply += Self.describe(entry, now: now) + "\n"
                        if removeFlag { blocker.remove(ip: ip) }
                    }
                } else {
                    start = 0
                }
            }
            // A copy-on-write snapshot, normally released before the table changes again, so the
            // hot path never pays for the copy and the sort happens outside the lock.
            return (reply, start >= 0 ? blocker.entries : [:])
        }
        return reply + Self.listing(snapshot, from: start) { Self.describe($0, now: now) }
    }

    func ipChanges(_ line: inout ConsoleCommandLine) -> String {
        let now = now()
        let argument = line.next()
        let removeFlag = line.next() == "-"
        var start = argument.map { RustNumberParsing.int32($0) ?? -1 } ?? -1
        let (reply, snapshot) = state.ipChanges.withLock { changes in
            changes.purgeForConsole(now: now)
            var reply = "\(changes.entries.count)\n"
            if !Self.ipChangesStartRange.contains(start) {
                if let id = argument {
                    if let entry = changes.entries.exactValue(forKey: id) {
                        reply += Self.describe(entry, now: now) + "\n"
                        if removeFlag { changes.remove(id: id) }
                    }
                } else {
                    start = 0
                }
            }
            // A numeric ID above the range keeps its value as a start index and is listed from too
            // (reference quirk, spec §12); with fewer entries than that it lists nothing.
            return (reply, start >= 0 ? changes.entries : [:])
        }
        return reply + Self.listing(snapshot, from: start) { Self.describe($0, now: now) }
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
