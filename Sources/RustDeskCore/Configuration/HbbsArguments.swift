/// The hbbs command-line values as given (nil = flag absent), still unvalidated text. The command-line
/// front end fills it; `HbbsConfiguration` validates it together with the other sources.
public struct HbbsArguments: Sendable, Equatable {
    public var config: String?
    public var bind: String?
    public var port: String?
    public var serial: String?
    public var rendezvousServers: String?
    public var softwareURL: String?
    public var relayServers: String?
    public var rmem: String?
    public var mask: String?
    public var key: String?
    public var metricsAddress: String?
    public var apiPort: String?

    public init(
        config: String? = nil, bind: String? = nil, port: String? = nil, serial: String? = nil,
        rendezvousServers: String? = nil, softwareURL: String? = nil, relayServers: String? = nil,
        rmem: String? = nil, mask: String? = nil, key: String? = nil, metricsAddress: String? = nil,
        apiPort: String? = nil
    ) {
        self.config = config
        self.bind = bind
        self.port = port
        self.serial = serial
        self.rendezvousServers = rendezvousServers
        self.softwareURL = softwareURL
        self.relayServers = relayServers
        self.rmem = rmem
        self.mask = mask
        self.key = key
        self.metricsAddress = metricsAddress
        self.apiPort = apiPort
    }

    /// The given flags as option entries; like the reference, every given flag (even `--config`)
    /// becomes an option of the highest precedence.
    public var entries: [(key: String, value: String)] {
        let all: [(ConfigurationOption, String?)] = [
            (.config, config), (.bind, bind), (.port, port), (.serial, serial),
            (.rendezvousServers, rendezvousServers), (.softwareURL, softwareURL), (.relayServers, relayServers),
            (.rmem, rmem), (.mask, mask), (.key, key), (.metricsAddress, metricsAddress), (.apiPort, apiPort),
        ]
        return all.compactMap { option, value in value.map { (option.name, $0) } }
    }
}
