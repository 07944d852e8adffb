import RustDeskCore

/// The command interpreter of hbbs's loopback console (spec/hbbs.md §12). It owns no state: it reads
/// and changes the shared `RendezvousTables` through their owners and returns the reply text.
///
/// Called by the PORT−1 listener for loopback connections, which reads the one request (≤ 1024
/// bytes, 1 s), drops invalid UTF-8, writes the reply and closes. `execute` is synchronous and
/// `rs <list>` resolves names through `resolveServerList`, so the caller must not run it on an
/// event loop thread.
public struct HbbsConsole: Sendable {
    let tables: RendezvousTables
    /// Monotonic time, the clock the tables' timestamps use.
    let now: @Sendable () -> Milliseconds
    /// Unix time in seconds; only `pr` needs it, to turn entry ages into calendar times.
    let wallClockSeconds: @Sendable () -> Int64
    /// Server list parsing with the DNS filter (spec/hbbs.md §2.2).
    let resolveServerList: @Sendable (String) -> [String]

    public init(
        tables: RendezvousTables,
        now: @escaping @Sendable () -> Milliseconds,
        wallClockSeconds: @escaping @Sendable () -> Int64,
        resolveServerList: @escaping @Sendable (String) -> [String]
    ) {
        self.tables = tables
        self.now = now
        self.wallClockSeconds = wallClockSeconds
        self.resolveServerList = resolveServerList
    }

    /// The full reply to one console line; "" for unknown commands and commands without output.
    public func execute(_ text: String) -> String {
        var line = ConsoleCommandLine(text)
        switch line.next() {
        case "h": return Self.help
        case "relay-servers", "rs": return relayServers(&line)
        case "reload-geo", "rg": return ""  // no geo database in the open-source server
        case "ip-blocker", "ib": return ipBlocker(&line)
        case "ip-changes", "ic": return ipChanges(&line)
        case "punch-requests", "pr": return punchRequests(&line)
        case "always-use-relay", "aur": return alwaysUseRelay(&line)
        case "test-geo", "tg": return testGeo(&line)
        default: return ""
        }
    }

    static let help = """
        relay-servers(rs) <separated by ,>
        reload-geo(rg)
        ip-blocker(ib) [<ip>|<number>] [-]
        ip-changes(ic) [<id>|<number>] [-]
        punch-requests(pr) [<number>] [-]
        always-use-relay(aur)
        test-geo(tg) <ip1> <ip2>

        """

    /// With a list: replace the configured relays (healthy list follows), no output.
    /// Without: the healthy list, one per line.
    private func relayServers(_ line: inout ConsoleCommandLine) -> String {
        if let list = line.next() {
            tables.relays.replaceConfigured(resolveServerList(list))
            return ""
        }
        return tables.relays.healthy.map { $0 + "\n" }.joined()
    }

    /// The reference also feeds the argument to the relay-list parser, which usually empties the
    /// relay list; that looks like a slip (spec open question), so only the flag changes here.
    private func alwaysUseRelay(_ line: inout ConsoleCommandLine) -> String {
        if let argument = line.next() {
            tables.relays.alwaysUseRelay = argument.uppercased() == "Y"
            return ""
        }
        return "ALWAYS_USE_RELAY: \(tables.relays.alwaysUseRelay)\n"
    }

    /// Selects a relay as a punch request would (advancing the rotation); the IPs only gate the
    /// command because selection ignores them (spec/hbbs.md §9.1).
    private func testGeo(_ line: inout ConsoleCommandLine) -> String {
        guard let first = line.next(), IPAddress(first) != nil else { return "" }
        if let second = line.next(), IPAddress(second) == nil { return "" }
        return RustDebugFormat.string(tables.relays.select())
    }
}
