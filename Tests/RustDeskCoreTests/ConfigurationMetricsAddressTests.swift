import RustDeskCore
import Testing

@Suite("Configuration: METRICS_ADDR")
struct ConfigurationMetricsAddressTests {
    private static let fallback = MetricsAddress.loopback(port: 21120)

    private func parse(_ text: String?) throws(ConfigurationError) -> MetricsAddress? {
        try MetricsAddress.parseOption(text, fallback: Self.fallback)
    }

    @Test func defaults() throws {
        #expect(
            try HbbsConfiguration(environment: ConfigurationEnvironment(inherited: [:])).metricsAddress?.description
                == "127.0.0.1:21120")
        let hbbr = try HbbrConfiguration(
            arguments: HbbrArguments(), environment: ConfigurationEnvironment(inherited: [:]))
        #expect(hbbr.metricsAddress?.description == "127.0.0.1:21121")
        #expect(HbbsConfiguration().metricsAddress == HbbsConfiguration.defaultMetricsAddress)
        #expect(HbbrConfiguration().metricsAddress == HbbrConfiguration.defaultMetricsAddress)
        #expect(try parse(nil) == Self.fallback)
    }

    @Test(arguments: [
        ("9100", "127.0.0.1", 9100, "127.0.0.1:9100"),
        (" 0.0.0.0:9100 ", "0.0.0.0", 9100, "0.0.0.0:9100"),
        ("10.1.2.3:0", "10.1.2.3", 0, "10.1.2.3:0"),
        ("[::1]:21120", "::1", 21120, "[::1]:21120"),
        ("[::]:65535", "::", 65535, "[::]:65535"),
        ("[2001:db8::7]:80", "2001:db8::7", 80, "[2001:db8::7]:80"),
    ])
    func addresses(text: String, host: String, port: Int, description: String) throws {
        let address = try #require(try parse(text))
        #expect(address.hostLiteral == host && address.port == port && address.description == description)
    }

    @Test(arguments: ["off", "OFF", " Off "])
    func offDisables(text: String) throws {
        #expect(try parse(text) == nil)
    }

    @Test(arguments: [
        "", "localhost:9100", "::1:9100", "[127.0.0.1]:80", "[::1]", "[::1]9100", "1.2.3.4:", "1.2.3.4",
        ":9100", "+9100", "9100x", "1.2.3.4:9x", "[::1:80", "1.2.3.4:-1", "no", "١٢٣",
    ])
    func malformedValuesNameTheOption(text: String) {
        #expect(
            throws: ConfigurationError.invalidValue(option: .metricsAddress, value: text, reason: .notAMetricsAddress)
        ) {
            try parse(text)
        }
    }

    @Test(arguments: ["65536", "127.0.0.1:99999", "[::1]:70000", "99999999999999999999999"])
    func portsOutOfRange(text: String) {
        #expect(
            throws: ConfigurationError.invalidValue(
                option: .metricsAddress, value: text, reason: .outOfRange(0...65535))
        ) {
            try parse(text)
        }
    }

    @Test func errorMessage() {
        #expect(
            ConfigurationError.invalidValue(option: .metricsAddress, value: "x", reason: .notAMetricsAddress)
                .description
                == "invalid value 'x' for METRICS_ADDR (--metrics-addr): expected off, PORT, IPv4:PORT or [IPv6]:PORT")
    }

    // MARK: sources, with each server's precedence

    @Test func hbbsFlagWinsOverDotEnvOverEnvironment() throws {
        let files = ["/srv/rustdesk/.env": "METRICS_ADDR=9300\n"]
        let environment = ["METRICS_ADDR": "9200"]
        func hbbs(_ arguments: HbbsArguments, _ files: [String: String]) throws -> MetricsAddress? {
            try HbbsConfiguration(arguments: arguments, inputs: memoryInputs(environment: environment, files: files))
                .metricsAddress
        }
        #expect(try hbbs(HbbsArguments(), [:])?.port == 9200)
        #expect(try hbbs(HbbsArguments(), files)?.port == 9300)
        #expect(try hbbs(HbbsArguments(metricsAddress: "off"), files) == nil)
        // A --config file sits between the flag and .env, as for every hbbs option.
        let withConfig = files.merging(["/srv/rustdesk/hbbs.ini": "metrics_addr = 9400\n"]) { $1 }
        #expect(try hbbs(HbbsArguments(config: "hbbs.ini"), withConfig)?.port == 9400)
    }

    @Test func hbbrFlagWinsOverDotEnvOverEnvironment() throws {
        let files = ["/srv/rustdesk/.env": "metrics-addr=[::1]:9301\n"]
        let environment = ["METRICS_ADDR": "off"]
        func hbbr(_ arguments: HbbrArguments, _ files: [String: String]) throws -> MetricsAddress? {
            try HbbrConfiguration(arguments: arguments, inputs: memoryInputs(environment: environment, files: files))
                .metricsAddress
        }
        #expect(try hbbr(HbbrArguments(), [:]) == nil)
        #expect(try hbbr(HbbrArguments(), files)?.description == "[::1]:9301")
        #expect(try hbbr(HbbrArguments(metricsAddress: "9302"), files)?.description == "127.0.0.1:9302")
    }

    @Test func badValuesFailBothServers() {
        #expect(throws: ConfigurationError.self) {
            try HbbsConfiguration(environment: ConfigurationEnvironment(inherited: ["METRICS_ADDR": "all"]))
        }
        #expect(throws: ConfigurationError.self) {
            try HbbrConfiguration(
                arguments: HbbrArguments(metricsAddress: "host:1"),
                environment: ConfigurationEnvironment(inherited: [:]))
        }
    }
}
