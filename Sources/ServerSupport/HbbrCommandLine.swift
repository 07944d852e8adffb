import ArgumentParser
import RustDeskCore

/// hbbr's command-line flags, exactly those of the reference (hbbr.md §2; no `--config`). Values stay
/// text so that `HbbrConfiguration` validates them and names the option in its errors.
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

    public init() {}

    /// The flags that were given, as unvalidated text.
    public var arguments: HbbrArguments { HbbrArguments(port: port, bind: bind, key: key) }

    /// Merges these flags with `.env` and the environment (hbbr.md §2) and validates.
    public func configuration(inputs: ConfigurationInputs = .process()) throws(ConfigurationError)
        -> HbbrConfiguration
    {
        try HbbrConfiguration(arguments: arguments, inputs: inputs)
    }
}
