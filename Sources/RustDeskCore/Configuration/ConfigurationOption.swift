/// Names one configurable option for lookups and error messages: its variable name and, if it has
/// any, its command-line flags (`PORT (-p, --port)`).
public struct ConfigurationOption: Hashable, Sendable, CustomStringConvertible {
    /// The variable name as the documentation spells it (`PORT`, `RELAY-SERVERS`, `DB_URL`).
    public let name: String
    /// The flags as `--help` shows them, empty for environment-only options.
    public let flags: String

    public init(_ name: String, flags: String = "") {
        self.name = name
        self.flags = flags
    }

    public var description: String { flags.isEmpty ? name : "\(name) (\(flags))" }
}

extension ConfigurationOption {
    public static let config = ConfigurationOption("CONFIG", flags: "-c, --config")
    public static let bind = ConfigurationOption("BIND", flags: "-b, --bind")
    public static let port = ConfigurationOption("PORT", flags: "-p, --port")
    public static let serial = ConfigurationOption("SERIAL", flags: "-s, --serial")
    public static let rendezvousServers = ConfigurationOption("RENDEZVOUS-SERVERS", flags: "-R, --rendezvous-servers")
    public static let softwareURL = ConfigurationOption("SOFTWARE-URL", flags: "-u, --software-url")
    public static let relayServers = ConfigurationOption("RELAY-SERVERS", flags: "-r, --relay-servers")
    public static let rmem = ConfigurationOption("RMEM", flags: "-M, --rmem")
    public static let mask = ConfigurationOption("MASK", flags: "--mask")
    public static let key = ConfigurationOption("KEY", flags: "-k, --key")
    public static let localIP = ConfigurationOption("LOCAL-IP")
    public static let testHbbs = ConfigurationOption("TEST_HBBS")
    public static let alwaysUseRelay = ConfigurationOption("ALWAYS_USE_RELAY")
    /// hbbs: `N` turns secure TCP (spec/wire.md §4) off; on by default.
    public static let secureTCP = ConfigurationOption("SECURE_TCP")
    public static let databaseURL = ConfigurationOption("DB_URL")
    /// Our addition: reverse proxies whose X-Real-IP / X-Forwarded-For the WebSocket ports believe.
    public static let trustedProxies = ConfigurationOption("TRUSTED_PROXIES")
    /// Our addition: where `/metrics`, `/healthz` and `/readyz` are served; `off` disables them.
    public static let metricsAddress = ConfigurationOption("METRICS_ADDR", flags: "--metrics-addr")
    /// Our addition: the client API's port (default PORT−2, the port clients derive); `off` disables it.
    public static let apiPort = ConfigurationOption("API_PORT", flags: "--api-port")
    /// Our addition: the password of the `admin` account created when no administrator exists.
    /// Environment or `.env` only: a flag would show it in `ps`.
    public static let adminPassword = ConfigurationOption("ADMIN_PASSWORD")
    /// Our addition: days a client session token lives after its last use.
    public static let apiSessionDays = ConfigurationOption("API_SESSION_DAYS")
    /// Our addition: where uploaded session recordings are written.
    public static let recordingsDirectory = ConfigurationOption("RECORDINGS_DIR")
    /// Our addition (a Pro setting): `Y` lets only logged-in users connect through hbbs.
    public static let mustLogin = ConfigurationOption("MUST_LOGIN")
    /// Our addition (a Pro setting): `N` refuses clients' ID changes (RegisterPk with `old_id`); on by default.
    public static let allowIDChange = ConfigurationOption("ALLOW_ID_CHANGE")
    public static let maxDatabaseConnections = ConfigurationOption("MAX_DATABASE_CONNECTIONS")
    public static let singleBandwidth = ConfigurationOption("SINGLE_BANDWIDTH")
    public static let totalBandwidth = ConfigurationOption("TOTAL_BANDWIDTH")
    public static let limitSpeed = ConfigurationOption("LIMIT_SPEED")
    public static let downgradeThreshold = ConfigurationOption("DOWNGRADE_THRESHOLD")
    public static let downgradeStartCheck = ConfigurationOption("DOWNGRADE_START_CHECK")
    /// hbbr's environment `PORT`, which it listens on plus one (hbbr.md §2).
    public static let hbbrEnvironmentPort = ConfigurationOption("PORT", flags: "environment; hbbr listens on PORT+1")
}
