/// Where a server's observability listener (`/metrics`, `/healthz`, `/readyz`) binds: METRICS_ADDR.
///
/// Written `PORT` (loopback: `127.0.0.1:PORT`), `IPv4:PORT` or `[IPv6]:PORT`; `off` in any case
/// disables the listener. Port 0 lets the kernel choose (tests). Loopback by default because the
/// endpoint tells anyone who reaches it how busy the server is.
public struct MetricsAddress: Sendable, Hashable, CustomStringConvertible {
    public static let validPorts = 0...65535
    static let loopback = IPAddress(v4Octets: 127, 0, 0, 1)

    public let host: IPAddress
    public let port: Int

    public init(host: IPAddress, port: Int) {
        self.host = host
        self.port = port
    }

    /// `127.0.0.1:port`.
    public static func loopback(port: Int) -> MetricsAddress { MetricsAddress(host: loopback, port: port) }

    /// The host as an address literal without brackets, as socket APIs take it.
    public var hostLiteral: String { host.description }

    public var description: String { host.isIPv4 ? "\(host):\(port)" : "[\(host)]:\(port)" }

    /// The option's value: `fallback` when absent, nil for `off`; surrounding whitespace ignored.
    public static func parseOption(_ text: String?, fallback: MetricsAddress) throws(ConfigurationError)
        -> MetricsAddress?
    {
        guard let text else { return fallback }
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        if trimmed.lowercased() == "off" { return nil }
        let invalid = ConfigurationError.invalidValue(
            option: .metricsAddress, value: trimmed, reason: .notAMetricsAddress)
        let hostText: Substring?
        let portText: Substring
        if trimmed.hasPrefix("[") {
            // [IPv6]:PORT
            guard let close = trimmed.firstIndex(of: "]") else { throw invalid }
            hostText = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            let rest = trimmed[trimmed.index(after: close)...]
            guard rest.hasPrefix(":") else { throw invalid }
            portText = rest.dropFirst()
        } else if let colon = trimmed.lastIndex(of: ":") {
            hostText = trimmed[..<colon]
            portText = trimmed[trimmed.index(after: colon)...]
        } else {
            hostText = nil
            portText = trimmed[...]
        }
        let host: IPAddress
        if let hostText {
            // Brackets for IPv6 and none for IPv4, so `::1:80` cannot be read two ways.
            guard let parsed = IPAddress(hostText), parsed.isIPv4 != trimmed.hasPrefix("[") else { throw invalid }
            host = parsed
        } else {
            host = loopback
        }
        guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw invalid }
        guard let port = Int(portText), validPorts.contains(port) else {
            throw .invalidValue(option: .metricsAddress, value: trimmed, reason: .outOfRange(validPorts))
        }
        return MetricsAddress(host: host, port: port)
    }
}
