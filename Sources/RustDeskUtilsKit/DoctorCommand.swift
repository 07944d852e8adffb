import RustDeskCore

/// `doctor <server>` (utils.md §1.3): resolves the server, then for each address prints its family, the
/// reverse-DNS comparison and a TCP connect result per port. Reports, never panics, where the reference
/// aborts: a failed name lookup prints an `ERROR:` line and exits 1; a failed reverse lookup prints
/// `Reverse DNS lookup: failed (<reason>)`. Reverse lookups are only made when a name was given.
struct DoctorCommand {
    let environment: DoctorEnvironment
    let output: UtilsOutput

    func run(server: String) -> Int32 {
        let address = Self.trimmed(server).lowercased()
        output.line("Checking server:  \(address)")
        output.line()
        if let ip = IPAddress(address) {
            check(ip, serverName: nil)
            return 0
        }
        switch environment.resolve(address) {
        case .failure(let error):
            output.line("ERROR: DNS lookup of '\(address)' failed: \(error.reason)")
            return 1
        case .success(let ips):
            output.line("Found \(ips.count) IP addresses: ")
            for ip in ips { output.line(" - \(ip)") }
            for ip in ips { check(ip, serverName: address) }
            return 0
        }
    }

    private func check(_ ip: IPAddress, serverName: String?) {
        output.line()
        output.line("Checking IP address: \(ip)")
        output.line("Is IPV4: \(ip.isIPv4)")
        output.line("Is IPV6: \(!ip.isIPv4)")
        // Only a given name has something to compare with, so only then is the reverse lookup worth doing.
        if let serverName {
            switch environment.reverseLookup(ip) {
            case .success(let reverse) where reverse == serverName:
                output.line("Reverse DNS lookup: '\(reverse)' MATCHES server address")
            case .success(let reverse):
                output.line("Reverse DNS lookup: '\(reverse)' DOESN'T MATCH server address '\(serverName)'")
            case .failure(let error):
                output.line("Reverse DNS lookup: failed (\(error.reason))")
            }
        }
        for probe in environment.ports {
            if let elapsed = DoctorNetwork.measureConnect(to: ip, port: probe.port, timeout: environment.connectTimeout)
            {
                output.line("TCP Port \(probe.port) (\(probe.label)): OK in \(Self.wholeMilliseconds(elapsed)) ms")
            } else {
                output.line("TCP Port \(probe.port) (\(probe.label)): ERROR")
            }
        }
    }

    private static func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// Truncated, as the reference's `as_millis()`.
    static func wholeMilliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
