import RustDeskCore

/// Why hbbr could not start; the executable prints the description and exits with status 1.
public enum HbbrStartupError: Error, CustomStringConvertible {
    case listen(port: Int, any Error)
    case listenMetrics(address: MetricsAddress, any Error)

    public var description: String {
        switch self {
        case .listen(let port, let error): "Fatal error: cannot listen on port \(port): \(error)"
        case .listenMetrics(let address, let error):
            "Fatal error: cannot listen on metrics address \(address): \(error)"
        }
    }
}
