import RustDeskCore

/// The command interpreter of hbbr's loopback console (hbbr.md §7). It owns no state: it reads and
/// changes `RelayControls` and returns the reply text ("" for unknown commands and for commands
/// without output). Called by the relay listener for loopback connections whose first read is not
/// a RustDesk frame; `execute` is synchronous and cheap, so it may run on an event loop.
public struct RelayConsole: Sendable {
    public let controls: RelayControls

    public init(controls: RelayControls) {
        self.controls = controls
    }

    public func execute(_ text: String) -> String {
        var line = ConsoleCommandLine(text)
        switch line.next() {
        case "h": return Self.help
        case "blacklist-add", "ba": return add(line.next(), to: controls.blacklist)
        case "blacklist-remove", "br": return remove(line.next(), from: controls.blacklist)
        case "blacklist", "b": return show(line.next(), controls.blacklist)
        case "blocklist-add", "Ba": return add(line.next(), to: controls.blocklist)
        case "blocklist-remove", "Br": return remove(line.next(), from: controls.blocklist)
        case "blocklist", "B": return show(line.next(), controls.blocklist)
        case "downgrade-threshold", "dt": return downgradeThreshold(line.next())
        case "downgrade-start-check", "t": return downgradeStartCheck(line.next())
        case "limit-speed", "ls":
            return bandwidth(line.next(), current: controls.limitSpeed) { controls.limitSpeed = $0 }
        case "total-bandwidth", "tb":
            return bandwidth(line.next(), current: controls.totalBandwidth) { controls.setTotalBandwidth($0) }
        case "single-bandwidth", "sb":
            return bandwidth(line.next(), current: controls.singleBandwidth) { controls.singleBandwidth = $0 }
        case "usage", "u": return controls.usage.report()
        default: return ""
        }
    }

    static let help = """
        blacklist-add(ba) <ip>
        blacklist-remove(br) <ip>
        blacklist(b) <ip>
        blocklist-add(Ba) <ip>
        blocklist-remove(Br) <ip>
        blocklist(B) <ip>
        downgrade-threshold(dt) [value]
        downgrade-start-check(t) [value(second)]
        limit-speed(ls) [value(Mb/s)]
        total-bandwidth(tb) [value(Mb/s)]
        single-bandwidth(sb) [value(Mb/s)]
        usage(u)

        """

    private func add(_ argument: String?, to list: RelayIPList) -> String {
        if let argument { list.insert(Self.split(argument)) }
        return ""
    }

    private func remove(_ argument: String?, from list: RelayIPList) -> String {
        guard let argument else { return "" }
        if argument == "all" { list.removeAll() } else { list.remove(Self.split(argument)) }
        return ""
    }

    private func show(_ argument: String?, _ list: RelayIPList) -> String {
        if let argument { return "\(list.contains(argument))\n" }
        return list.all.map { $0 + "\n" }.joined()
    }

    private func downgradeThreshold(_ argument: String?) -> String {
        guard let argument else {
            return RustFloatDisplay.text(Double(controls.downgradeThresholdPercent) / 100) + "\n"
        }
        if let value = RustNumberParsing.double(argument), value > 0 {
            controls.downgradeThresholdPercent = RustNumberParsing.saturatingInt(value * 100)
        }
        return ""
    }

    private func downgradeStartCheck(_ argument: String?) -> String {
        guard let argument else { return "\(controls.downgradeStartCheck / 1000)s\n" }
        if let seconds = RustNumberParsing.unsigned(argument), seconds > 0 {
            let (milliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
            controls.downgradeStartCheck = overflow ? Int.max : milliseconds
        }
        return ""
    }

    /// Mb/s in and out, bits per second stored (one Mb = 1024 × 1024 bits).
    private func bandwidth(_ argument: String?, current: Int, set: (Int) -> Void) -> String {
        guard let argument else { return RustFloatDisplay.text(Double(current) / 1024 / 1024) + "Mb/s\n" }
        if let value = RustNumberParsing.double(argument), value > 0 {
            set(RustNumberParsing.saturatingInt(value * 1024 * 1024))
        }
        return ""
    }

    private static func split(_ argument: String) -> [String] {
        argument.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
    }
}
