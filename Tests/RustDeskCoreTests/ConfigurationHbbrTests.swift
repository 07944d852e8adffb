import RustDeskCore
import Testing

@Suite("Configuration: hbbr")
struct ConfigurationHbbrTests {
    private let mbit = 1024 * 1024

    private func configuration(
        _ arguments: HbbrArguments = HbbrArguments(), environment: [String: String] = [:], files: [String: String] = [:]
    ) throws(ConfigurationError) -> HbbrConfiguration {
        try HbbrConfiguration(arguments: arguments, inputs: memoryInputs(environment: environment, files: files))
    }

    private func error(_ arguments: HbbrArguments, environment: [String: String] = [:]) -> ConfigurationError? {
        configurationError { () throws(ConfigurationError) in try configuration(arguments, environment: environment) }
    }

    @Test func defaults() throws {
        let config = try configuration()
        #expect(config == HbbrConfiguration())
        #expect(config.port == 21117 && config.webSocketPort == 21119)
        #expect(config.bind == nil && config.key == "")
        #expect(config.singleBandwidth == 128 * mbit)
        #expect(config.totalBandwidth == 1024 * mbit)
        #expect(config.limitSpeed == 32 * mbit)
        #expect(config.downgradeThreshold == 0.66 && config.downgradeThresholdPercent == 66)
        #expect(config.downgradeStartCheck == 1800 && config.downgradeStartCheckMilliseconds == 1_800_000)
        #expect(config.logLevel == .info)
    }

    // MARK: the PORT+1 rule

    @Test func environmentPortMeansPortPlusOne() throws {
        #expect(try configuration(environment: ["PORT": "21116"]).port == 21117)
        #expect(try configuration(files: ["/srv/rustdesk/.env": "port=30000"]).port == 30001)
    }

    @Test func flagWinsOverEnvironmentPortAndIsTakenAsIs() throws {
        #expect(try configuration(HbbrArguments(port: "30000"), environment: ["PORT": "21116"]).port == 30000)
    }

    @Test(arguments: ["abc", "0", "-5", ""])
    func unusableEnvironmentPortIsIgnored(_ value: String) throws {
        #expect(try configuration(environment: ["PORT": value]).port == 21117)
    }

    @Test func environmentPortTooLargeForPortPlusOne() {
        let failure = error(HbbrArguments(), environment: ["PORT": "65533"])
        #expect(failure?.option.name == "PORT")
        #expect(
            failure?.description
                == "invalid value '65533' for PORT (environment; hbbr listens on PORT+1): must be between 1 and 65532")
        #expect(throws: Never.self) { try configuration(environment: ["PORT": "65532"]) }
    }

    @Test(arguments: [
        ("abc", "invalid value 'abc' for PORT (-p, --port): not a number"),
        ("", "invalid value '' for PORT (-p, --port): not a number"),
        ("0", "invalid value '0' for PORT (-p, --port): must be between 1 and 65533"),
        ("65534", "invalid value '65534' for PORT (-p, --port): must be between 1 and 65533"),
    ])
    func invalidPortFlag(value: String, message: String) {
        #expect(error(HbbrArguments(port: value))?.description == message)
    }

    // MARK: other options

    @Test func bindAndKeyFlagsWinOverEnvironment() throws {
        let environment = ["BIND": "10.0.0.1", "KEY": "from-env"]
        let fromEnvironment = try configuration(environment: environment)
        #expect(fromEnvironment.bind == IPAddress(v4Octets: 10, 0, 0, 1) && fromEnvironment.key == "from-env")
        let fromFlags = try configuration(HbbrArguments(bind: "::1", key: "-"), environment: environment)
        #expect(fromFlags.bind == .ipv6Loopback && fromFlags.key == "-")
    }

    @Test func invalidBindNamesTheOption() {
        #expect(
            error(HbbrArguments(bind: "nowhere"))?.description
                == "invalid value 'nowhere' for BIND (-b, --bind): not an IPv4 or IPv6 address")
        #expect(error(HbbrArguments(), environment: ["bind": "nowhere"])?.option == .bind)
    }

    @Test(arguments: [
        ("64", 64 * 1024 * 1024), ("0.5", 524_288), ("1.0000001", 1_048_576), ("1e1", 10 * 1024 * 1024),
        ("inf", Int.max),
    ])
    func bandwidthIsMegabitsTimesOneMebi(value: String, bits: Int) throws {
        let config = try configuration(environment: [
            "SINGLE_BANDWIDTH": value, "total-bandwidth": value, "Limit_Speed": value,
        ])
        #expect(config.singleBandwidth == bits && config.totalBandwidth == bits && config.limitSpeed == bits)
    }

    @Test(arguments: ["", "fast", "0", "-3", "nan", "0x10", " 5"])
    func unusableBandwidthKeepsDefaults(_ value: String) throws {
        let config = try configuration(environment: [
            "SINGLE_BANDWIDTH": value, "TOTAL_BANDWIDTH": value, "LIMIT_SPEED": value,
            "DOWNGRADE_THRESHOLD": value, "DOWNGRADE_START_CHECK": value,
        ])
        #expect(config == HbbrConfiguration())
    }

    @Test func downgradeSettings() throws {
        let config = try configuration(environment: ["DOWNGRADE_THRESHOLD": "0.809", "DOWNGRADE_START_CHECK": "60"])
        #expect(config.downgradeThreshold == 0.809 && config.downgradeThresholdPercent == 80)
        #expect(config.downgradeStartCheck == 60 && config.downgradeStartCheckMilliseconds == 60_000)
    }

    @Test func downgradeStartCheckIsUnsigned() throws {
        #expect(try configuration(environment: ["DOWNGRADE_START_CHECK": "1.5"]).downgradeStartCheck == 1800)
    }

    @Test func noConfigFileForHbbr() throws {
        // `.env` is read, but nothing else from the directory.
        let config = try configuration(files: ["/srv/rustdesk/.env": "KEY=k", "/srv/rustdesk/hbbr.ini": "KEY=other"])
        #expect(config.key == "k")
    }
}
