/// Why a configuration could not be built; the description names the option and the bad value,
/// e.g. `invalid value 'abc' for PORT (-p, --port): not a number`.
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidValue(option: ConfigurationOption, value: String, reason: Reason)

    public enum Reason: Equatable, Sendable, CustomStringConvertible {
        case notANumber
        case outOfRange(ClosedRange<Int>)
        case notAnIPAddress
        case notAnIPNetworkList
        case notAMetricsAddress
        /// The option only works with the client API, and API_PORT is `off`.
        case needsAPI
        case notAHostName
        case notAMailAddress
        case notAnHTTPURL
        /// Must be set when the named option is.
        case requiredWith(String)

        public var description: String {
            switch self {
            case .notANumber: "not a number"
            case .outOfRange(let range): "must be between \(range.lowerBound) and \(range.upperBound)"
            case .notAnIPAddress: "not an IPv4 or IPv6 address"
            case .notAnIPNetworkList: "not a comma-separated list of IP addresses or networks (e.g. 10.0.0.0/8)"
            case .notAMetricsAddress: "expected off, PORT, IPv4:PORT or [IPv6]:PORT"
            case .needsAPI: "needs the client API, but API_PORT is off"
            case .notAHostName: "not a host name or address"
            case .notAMailAddress: "not a mail address (name@domain)"
            case .notAnHTTPURL: "expected http://HOST[:PORT][/PATH] or https://…"
            case .requiredWith(let other): "must be set when \(other) is"
            }
        }
    }

    public var option: ConfigurationOption {
        switch self {
        case .invalidValue(let option, _, _): option
        }
    }

    public var description: String {
        switch self {
        case .invalidValue(let option, let value, let reason):
            "invalid value '\(value)' for \(option): \(reason)"
        }
    }
}
