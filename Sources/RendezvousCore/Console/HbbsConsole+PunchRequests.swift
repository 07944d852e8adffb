import RustDeskCore

/// Console `pr` (spec/hbbs.md §12): `-` clears; otherwise a page of punch requests, oldest first.
extension HbbsConsole {
    func punchRequests(_ line: inout ConsoleCommandLine) -> String {
        let argument = line.next()
        if argument == "-" {
            tables.punchRequests.removeAll()
            return ""
        }
        // Rust parses both with `usize`; unparsable means the default.
        let start = argument.flatMap(RustNumberParsing.unsigned) ?? 0
        let requested = line.next().flatMap(RustNumberParsing.unsigned) ?? Self.listingPageSize
        let size = requested == 0 ? Self.listingPageSize : requested
        let now = now()
        let page = tables.punchRequests.page(start: start, size: size)
        guard !page.isEmpty else { return "" }
        let wallMilliseconds = wallClockSeconds() &* 1000
        return page.map { entry in
            // The reference subtracts the exact age from the exact wall time and drops the fraction.
            let seconds = CivilDate.floorDivide(wallMilliseconds &- (now &- entry.time), 1000)
            return "\(RFC3339.utcSeconds(seconds)) \(entry.fromIP) -> \(entry.toID)@\(entry.toIP)\n"
        }.joined()
    }
}
