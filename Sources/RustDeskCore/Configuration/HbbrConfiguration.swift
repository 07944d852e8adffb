/// Every hbbr option of hbbr.md §2, validated and typed; built once at start and passed down.
///
/// `init(arguments:inputs:)` is the production path (flag > `.env` > environment; no `--config`);
/// the memberwise initialiser trusts its values and exists for tests and embedding.
public struct HbbrConfiguration: Sendable, Equatable {
    public static let defaultPort = 21117
    /// PORT+2 is also bound. Port 0 is refused: its WebSocket port would be the privileged port 2.
    public static let validPorts = 1...65533
    /// One "Mb/s" of the reference: 1024 × 1024 bits per second.
    public static let bitsPerMegabit = 1024 * 1024
    public static let defaultSingleBandwidth = 128 * bitsPerMegabit
    public static let defaultTotalBandwidth = 1024 * bitsPerMegabit
    public static let defaultLimitSpeed = 32 * bitsPerMegabit
    public static let defaultDowngradeThreshold = 0.66
    public static let defaultDowngradeStartCheck = 1800
    /// hbbs's default port plus one; used by nothing in RustDesk.
    public static let defaultMetricsAddress = MetricsAddress.loopback(port: 21121)

    /// Relay port (TCP); PORT+2 is the WebSocket relay port.
    public let port: Int
    /// Address both listeners bind; nil = all interfaces (dual-stack).
    public let bind: IPAddress?
    /// KEY as given; "" (the default) = no key check (hbbr.md §2.1).
    public let key: String
    /// Normal cap per relayed pair, bits per second.
    public let singleBandwidth: Int
    /// Cap for all relays together, bits per second.
    public let totalBandwidth: Int
    /// Cap for blacklisted IPs and downgraded relays, bits per second.
    public let limitSpeed: Int
    /// Fraction of `singleBandwidth` above which a relay is downgraded.
    public let downgradeThreshold: Double
    /// Relay age in seconds before a downgrade can happen.
    public let downgradeStartCheck: Int
    /// Proxies allowed to name the client address on the WebSocket port (loopback always is).
    public let trustedProxies: TrustedProxies
    /// Where `/metrics`, `/healthz` and `/readyz` are served; nil = `off`.
    public let metricsAddress: MetricsAddress?
    /// From the inherited RUST_LOG only.
    public let logLevel: LogLevel
    /// Files that were skipped while reading the sources; for the caller to log.
    public let warnings: [String]

    public init(
        port: Int = defaultPort, bind: IPAddress? = nil, key: String = "",
        singleBandwidth: Int = defaultSingleBandwidth, totalBandwidth: Int = defaultTotalBandwidth,
        limitSpeed: Int = defaultLimitSpeed, downgradeThreshold: Double = defaultDowngradeThreshold,
        downgradeStartCheck: Int = defaultDowngradeStartCheck, trustedProxies: TrustedProxies = TrustedProxies(),
        metricsAddress: MetricsAddress? = defaultMetricsAddress, logLevel: LogLevel = .default, warnings: [String] = []
    ) {
        self.trustedProxies = trustedProxies
        self.metricsAddress = metricsAddress
        self.port = port
        self.bind = bind
        self.key = key
        self.singleBandwidth = singleBandwidth
        self.totalBandwidth = totalBandwidth
        self.limitSpeed = limitSpeed
        self.downgradeThreshold = downgradeThreshold
        self.downgradeStartCheck = downgradeStartCheck
        self.logLevel = logLevel
        self.warnings = warnings
    }

    public var webSocketPort: Int { port + 2 }
    /// The reference compares in whole percent: trunc(threshold × 100).
    public var downgradeThresholdPercent: Int { RustNumberParsing.saturatingInt(downgradeThreshold * 100) }
    public var downgradeStartCheckMilliseconds: Int {
        downgradeStartCheck.multipliedReportingOverflow(by: 1000).overflow ? Int.max : downgradeStartCheck * 1000
    }
}

extension HbbrConfiguration {
    /// Reads all sources with hbbr's precedence: flag > `.env` > inherited environment.
    public init(arguments: HbbrArguments, inputs: ConfigurationInputs) throws(ConfigurationError) {
        let merged = ConfigurationSources.merge(inputs: inputs)
        try self.init(
            arguments: arguments, environment: merged.environment,
            logLevel: LogLevel(rustLog: inputs.environment["RUST_LOG"], module: "hbbr"),
            warnings: merged.warnings)
    }

    /// Validates the flags and the options found in an already merged view.
    public init(
        arguments: HbbrArguments, environment: ConfigurationEnvironment,
        logLevel: LogLevel = .default, warnings: [String] = []
    ) throws(ConfigurationError) {
        let value = { (option: ConfigurationOption) in environment.value(forOption: option.name) }
        let bandwidth = { (option: ConfigurationOption, fallback: Int) -> Int in
            Self.positiveDouble(value(option)).map { RustNumberParsing.saturatingInt($0 * Double(Self.bitsPerMegabit)) }
                ?? fallback
        }
        self.init(
            port: try Self.resolvePort(flag: arguments.port, environment: value(.port)),
            bind: try BindAddress.parse(arguments.bind ?? value(.bind)),
            key: arguments.key ?? value(.key) ?? "",
            singleBandwidth: bandwidth(.singleBandwidth, Self.defaultSingleBandwidth),
            totalBandwidth: bandwidth(.totalBandwidth, Self.defaultTotalBandwidth),
            limitSpeed: bandwidth(.limitSpeed, Self.defaultLimitSpeed),
            downgradeThreshold: Self.positiveDouble(value(.downgradeThreshold)) ?? Self.defaultDowngradeThreshold,
            downgradeStartCheck: value(.downgradeStartCheck).flatMap(RustNumberParsing.unsigned)
                .flatMap { $0 > 0 ? $0 : nil } ?? Self.defaultDowngradeStartCheck,
            trustedProxies: try TrustedProxies.parseOption(value(.trustedProxies)),
            metricsAddress: try MetricsAddress.parseOption(
                arguments.metricsAddress ?? value(.metricsAddress), fallback: Self.defaultMetricsAddress),
            logLevel: logLevel,
            warnings: warnings)
    }

    /// Missing, unparsable, NaN or ≤ 0 keeps the default.
    private static func positiveDouble(_ text: String?) -> Double? {
        guard let text, let number = RustNumberParsing.double(text), number > 0 else { return nil }
        return number
    }

    /// The flag wins; otherwise a positive integer env PORT means PORT+1 (so one shared PORT=21116
    /// serves hbbs on 21116 and hbbr on 21117); a non-numeric or non-positive env PORT is ignored.
    private static func resolvePort(flag: String?, environment: String?) throws(ConfigurationError) -> Int {
        if let flag {
            guard let port = Int(flag) else {
                throw .invalidValue(option: .port, value: flag, reason: .notANumber)
            }
            guard validPorts.contains(port) else {
                throw .invalidValue(option: .port, value: flag, reason: .outOfRange(validPorts))
            }
            return port
        }
        guard let environment, let shared = RustNumberParsing.int32(environment), shared > 0 else {
            return defaultPort
        }
        let port = Int(shared) + 1
        guard validPorts.contains(port) else {
            let range = 1...(validPorts.upperBound - 1)
            throw .invalidValue(option: .hbbrEnvironmentPort, value: environment, reason: .outOfRange(range))
        }
        return port
    }
}
