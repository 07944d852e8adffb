/// Every hbbs option of hbbs.md §2.2, validated and typed; built once at start and passed down.
///
/// `init(arguments:inputs:)` is the production path (all sources, hbbs.md §2.1); the memberwise
/// initialiser trusts its values and exists for tests and embedding.
public struct HbbsConfiguration: Sendable, Equatable {
    public static let defaultPort = 21116
    /// PORT−1 and PORT+2 are also bound, so PORT must leave room for both.
    public static let validPorts = 3...65533
    public static let defaultKey = "-"
    public static let defaultDatabaseURL = "./db_v2.sqlite3"
    /// Next to RustDesk's 21114–21119, and used by none of them.
    public static let defaultMetricsAddress = MetricsAddress.loopback(port: 21120)

    /// Main port: UDP and TCP; PORT−1 is the NAT-test port and PORT+2 the WebSocket port.
    public let port: Int
    /// Address every listener binds; nil = all interfaces (dual-stack).
    public let bind: IPAddress?
    /// Deprecated ConfigUpdate serial.
    public let serial: Int32
    /// RENDEZVOUS-SERVERS split, before the server's DNS check.
    public let rendezvousServers: [String]
    /// RELAY-SERVERS split, before the server's DNS check.
    public let relayServers: [String]
    public let softwareURL: String
    /// UDP receive buffer in bytes; 0 = system default.
    public let rmem: Int
    /// The LAN network; nil when MASK is absent or unparsable.
    public let mask: IPv4Network?
    /// KEY as given (hbbs.md §2.3 derives the licence and signing keys from it).
    public let key: String
    /// LOCAL-IP; nil = use the host's primary address. Only meaningful with `mask`.
    public let localIP: String?
    /// TEST_HBBS as given: "" = self-test the TCP listener's address, `no` = disabled, else a target.
    public let testHbbs: String
    public let alwaysUseRelay: Bool
    /// SECURE_TCP: offer the signed KeyExchange on PORT (when there is a signing key); `N` = off.
    public let secureTCP: Bool
    /// ALLOW_ID_CHANGE: clients may move to a new ID (RegisterPk with `old_id`); `N` = refused.
    public let allowIDChange: Bool
    public let databaseURL: String
    public let maxDatabaseConnections: Int
    /// Proxies allowed to name the client address on the WebSocket port (loopback always is).
    public let trustedProxies: TrustedProxies
    /// Where `/metrics`, `/healthz` and `/readyz` are served; nil = `off`.
    public let metricsAddress: MetricsAddress?
    /// The client API server (API_PORT, ADMIN_PASSWORD, API_SESSION_DAYS, RECORDINGS_DIR).
    public let api: APIConfiguration
    /// From the inherited RUST_LOG only (it is read before `.env` in the reference).
    public let logLevel: LogLevel
    /// Files that were skipped while reading the sources; for the caller to log.
    public let warnings: [String]

    public init(
        port: Int = defaultPort, bind: IPAddress? = nil, serial: Int32 = 0, rendezvousServers: [String] = [],
        relayServers: [String] = [], softwareURL: String = "", rmem: Int = 0, mask: IPv4Network? = nil,
        key: String = defaultKey, localIP: String? = nil, testHbbs: String = "", alwaysUseRelay: Bool = false,
        secureTCP: Bool = true, allowIDChange: Bool = true, databaseURL: String = defaultDatabaseURL,
        maxDatabaseConnections: Int = 1,
        trustedProxies: TrustedProxies = TrustedProxies(), metricsAddress: MetricsAddress? = defaultMetricsAddress,
        api: APIConfiguration? = nil, logLevel: LogLevel = .default, warnings: [String] = []
    ) {
        self.trustedProxies = trustedProxies
        self.metricsAddress = metricsAddress
        self.api = api ?? .derived(fromRendezvousPort: port)
        self.port = port
        self.bind = bind
        self.serial = serial
        self.rendezvousServers = rendezvousServers
        self.relayServers = relayServers
        self.softwareURL = softwareURL
        self.rmem = rmem
        self.mask = mask
        self.key = key
        self.localIP = localIP
        self.testHbbs = testHbbs
        self.alwaysUseRelay = alwaysUseRelay
        self.secureTCP = secureTCP
        self.allowIDChange = allowIDChange
        self.databaseURL = databaseURL
        self.maxDatabaseConnections = maxDatabaseConnections
        self.logLevel = logLevel
        self.warnings = warnings
    }

    public var natTestPort: Int { port - 1 }
    public var webSocketPort: Int { port + 2 }
    /// The version announced in SoftwareUpdate, derived from `softwareURL` (hbbs.md §3.3).
    public var softwareVersion: String { SoftwareVersion.fromURL(softwareURL) }
    /// TEST_HBBS = `no` in any case turns the UDP self-test off.
    public var isSelfTestDisabled: Bool { testHbbs.lowercased() == "no" }
}

extension HbbsConfiguration {
    /// Reads all sources with hbbs's precedence: command line > `--config` file > `.env` > environment.
    public init(arguments: HbbsArguments, inputs: ConfigurationInputs) throws(ConfigurationError) {
        let merged = ConfigurationSources.merge(
            inputs: inputs, configFile: arguments.config, commandLine: arguments.entries)
        try self.init(
            environment: merged.environment,
            logLevel: LogLevel(rustLog: inputs.environment["RUST_LOG"], module: "hbbs"),
            warnings: merged.warnings)
    }

    /// Validates the options found in an already merged view.
    public init(
        environment: ConfigurationEnvironment, logLevel: LogLevel = .default, warnings: [String] = []
    ) throws(ConfigurationError) {
        let value = { (option: ConfigurationOption) in environment.value(forOption: option.name) }
        let port = try Self.parsePort(value(.port))
        self.init(
            port: port,
            bind: try BindAddress.parse(value(.bind)),
            serial: value(.serial).flatMap(RustNumberParsing.int32) ?? 0,
            rendezvousServers: ServerList.split(value(.rendezvousServers) ?? ""),
            relayServers: ServerList.split(value(.relayServers) ?? ""),
            softwareURL: value(.softwareURL) ?? "",
            rmem: value(.rmem).flatMap(RustNumberParsing.unsigned) ?? 0,
            mask: value(.mask).flatMap(IPv4Network.init(parsing:)),
            key: value(.key) ?? Self.defaultKey,
            localIP: value(.localIP),
            testHbbs: value(.testHbbs) ?? "",
            alwaysUseRelay: value(.alwaysUseRelay)?.uppercased() == "Y",
            secureTCP: ConfigurationFlag.isOn(value(.secureTCP)),
            allowIDChange: ConfigurationFlag.isOn(value(.allowIDChange)),
            databaseURL: value(.databaseURL) ?? Self.defaultDatabaseURL,
            maxDatabaseConnections: value(.maxDatabaseConnections).flatMap(RustNumberParsing.unsigned) ?? 1,
            trustedProxies: try TrustedProxies.parseOption(value(.trustedProxies)),
            metricsAddress: try MetricsAddress.parseOption(
                value(.metricsAddress), fallback: Self.defaultMetricsAddress),
            api: try APIConfiguration(environment: environment, rendezvousPort: port),
            logLevel: logLevel,
            warnings: warnings)
    }

    private static func parsePort(_ text: String?) throws(ConfigurationError) -> Int {
        guard let text else { return defaultPort }
        guard let port = RustNumberParsing.int32(text) else {
            throw .invalidValue(option: .port, value: text, reason: .notANumber)
        }
        guard validPorts.contains(Int(port)) else {
            throw .invalidValue(option: .port, value: text, reason: .outOfRange(validPorts))
        }
        return Int(port)
    }
}
