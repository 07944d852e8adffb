import ArgumentParser
import RustDeskCore

/// hbbs's command-line flags: those of the reference (hbbs.md §2.2) plus `--metrics-addr`. Values stay
/// text so that `HbbsConfiguration` validates them with the other sources and names the option in its errors.
/// The executable embeds this with `@OptionGroup` and calls `configuration(inputs:)`.
public struct HbbsCommandLine: ParsableArguments, Sendable {
    @Option(name: [.customShort("c"), .customLong("config")], help: "Sets a custom config file")
    public var config: String?

    @Option(
        name: [.customShort("b"), .customLong("bind")],
        help: ArgumentHelp("Sets the IP address to bind to (default: all interfaces)", valueName: "IP"))
    public var bind: String?

    @Option(
        name: [.customShort("p"), .customLong("port")],
        help: ArgumentHelp("Sets the listening port (default: \(HbbsConfiguration.defaultPort))", valueName: "NUMBER"))
    public var port: String?

    @Option(
        name: [.customShort("s"), .customLong("serial")],
        help: ArgumentHelp("[DEPRECATED] Sets configure update serial number (default: 0)", valueName: "NUMBER"))
    public var serial: String?

    @Option(
        name: [.customShort("R"), .customLong("rendezvous-servers")],
        help: ArgumentHelp("[DEPRECATED] Sets rendezvous servers, separated by comma", valueName: "HOSTS"))
    public var rendezvousServers: String?

    @Option(
        name: [.customShort("u"), .customLong("software-url")],
        help: ArgumentHelp("[DEPRECATED] Sets download url of RustDesk software of newest version", valueName: "URL"))
    public var softwareURL: String?

    @Option(
        name: [.customShort("r"), .customLong("relay-servers")],
        help: ArgumentHelp("Sets the default relay servers, separated by comma", valueName: "HOST"))
    public var relayServers: String?

    @Option(
        name: [.customShort("M"), .customLong("rmem")],
        help: ArgumentHelp(
            "Sets UDP recv buffer size (default: 0 = system default); raise net.core.rmem_max first",
            valueName: "NUMBER"))
    public var rmem: String?

    @Option(
        name: .customLong("mask"),
        help: ArgumentHelp(
            "[DEPRECATED] Determine if the connection comes from LAN, e.g. 192.168.0.0/16", valueName: "MASK"))
    public var mask: String?

    @Option(
        name: [.customShort("k"), .customLong("key")],
        help: ArgumentHelp("Only allow the client with the same key", valueName: "KEY"))
    public var key: String?

    @Option(
        name: .customLong("metrics-addr"),
        help: ArgumentHelp(
            "Serves /metrics, /healthz and /readyz on PORT, IPv4:PORT or [IPv6]:PORT; off disables "
                + "(default: \(HbbsConfiguration.defaultMetricsAddress))",
            valueName: "ADDRESS"))
    public var metricsAddress: String?

    @Option(
        name: .customLong("api-port"),
        help: ArgumentHelp(
            "Serves the client API (login, address books, device sync, audit) on PORT; off disables "
                + "(default: the rendezvous port - 2, i.e. 21114)",
            valueName: "PORT"))
    public var apiPort: String?

    public init() {}

    /// The flags that were given, as unvalidated text.
    public var arguments: HbbsArguments {
        HbbsArguments(
            config: config, bind: bind, port: port, serial: serial, rendezvousServers: rendezvousServers,
            softwareURL: softwareURL, relayServers: relayServers, rmem: rmem, mask: mask, key: key,
            metricsAddress: metricsAddress, apiPort: apiPort)
    }

    /// Merges these flags with `--config`, `.env` and the environment (hbbs.md §2.1) and validates.
    public func configuration(inputs: ConfigurationInputs = .process()) throws(ConfigurationError)
        -> HbbsConfiguration
    {
        try HbbsConfiguration(arguments: arguments, inputs: inputs)
    }
}
