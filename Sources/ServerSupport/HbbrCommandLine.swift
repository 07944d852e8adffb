import ArgumentParser
import RustDeskCore

/// hbbr's command-line flags: those of the reference (hbbr.md §2; no `--config`) plus `--metrics-addr`.
/// Values stay text so that `HbbrConfiguration` validates them and names the option in its errors.
/// The executable embeds this with `@OptionGroup` and calls `configuration(inputs:)`.
public struct HbbrCommandLine: ParsableArguments, Sendable {
    @Option(
        name: [.customShort("b"), .customLong("bind")],
        help: ArgumentHelp("Sets the IP address to bind to (default: all interfaces)", valueName: "IP"))
    public var bind: String?

    @Option(
        name: [.customShort("p"), .customLong("port")],
        help: ArgumentHelp("Sets the listening port (default: \(HbbrConfiguration.defaultPort))", valueName: "NUMBER"))
    public var port: String?

    @Option(
        name: [.customShort("k"), .customLong("key")],
        help: ArgumentHelp("Only allow the client with the same key", valueName: "KEY"))
    public var key: String?

    @Option(
        name: .customLong("metrics-addr"),
        help: ArgumentHelp(
            "Serves /metrics, /healthz and /readyz on PORT, IPv4:PORT or [IPv6]:PORT; off disables "
                + "(default: \(HbbrConfiguration.defaultMetricsAddress))",
            valueName: "ADDRESS"))
    public var metricsAddress: String?

    public init() {}

    /// The flags that were given, as unvalidated text.
    public var arguments: HbbrArguments {
        HbbrArguments(port: port, bind: bind, key: key, metricsAddress: metricsAddress)
    }

    /// Merges these flags with `.env` and the environment (hbbr.md §2) and validates.
    public func configuration(inputs: ConfigurationInputs = .process()) throws(ConfigurationError)
        -> HbbrConfiguration
    {
        try HbbrConfiguration(arguments: arguments, inputs: inputs)
    }
}
