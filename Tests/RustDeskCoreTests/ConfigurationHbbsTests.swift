import RustDeskCore
import Testing

@Suite("Configuration: hbbs")
struct ConfigurationHbbsTests {
    private func configuration(
        _ arguments: HbbsArguments = HbbsArguments(), environment: [String: String] = [:], files: [String: String] = [:]
    ) throws(ConfigurationError) -> HbbsConfiguration {
        try HbbsConfiguration(arguments: arguments, inputs: memoryInputs(environment: environment, files: files))
    }

    private func error(_ arguments: HbbsArguments, environment: [String: String] = [:]) -> ConfigurationError? {
        configurationError { () throws(ConfigurationError) in try configuration(arguments, environment: environment) }
    }

    @Test func defaults() throws {
        let config = try configuration()
        #expect(config == HbbsConfiguration())
        #expect(config.port == 21116 && config.natTestPort == 21115 && config.webSocketPort == 21118)
        #expect(config.bind == nil && config.serial == 0 && config.rmem == 0 && config.mask == nil)
        #expect(config.rendezvousServers.isEmpty && config.relayServers.isEmpty)
        #expect(config.softwareURL == "" && config.softwareVersion == "")
        #expect(config.key == "-" && config.localIP == nil && config.testHbbs == "")
        #expect(!config.isSelfTestDisabled && !config.alwaysUseRelay)
        #expect(config.databaseURL == "./db_v2.sqlite3" && config.maxDatabaseConnections == 1)
        #expect(config.logLevel == .info && config.warnings.isEmpty)
    }

    @Test func everyFlag() throws {
        let config = try configuration(
            HbbsArguments(
                bind: "127.0.0.1", port: "30000", serial: "7", rendezvousServers: "a:1,,b",
                softwareURL: "https://x/rustdesk-1.2.3.exe",
                relayServers: "r1, r2,", rmem: "52428800", mask: "192.168.0.0/16", key: "abc"))
        #expect(config.port == 30000)
        #expect(config.bind == IPAddress(v4Octets: 127, 0, 0, 1))
        #expect(config.serial == 7)
        #expect(config.rendezvousServers == ["a:1", "b"])
        #expect(config.relayServers == ["r1", " r2"])
        #expect(config.softwareVersion == "1.2.3")
        #expect(config.rmem == 52_428_800)
        #expect(config.mask == IPv4Network(parsing: "192.168.0.0/16"))
        #expect(config.key == "abc")
    }

    @Test func environmentOnlyOptions() throws {
        let config = try configuration(environment: [
            "LOCAL-IP": "10.0.0.2", "TEST_HBBS": "No", "ALWAYS_USE_RELAY": "y", "DB_URL": "/var/db.sqlite3",
            "MAX_DATABASE_CONNECTIONS": "4", "RUST_LOG": "debug",
        ])
        #expect(config.localIP == "10.0.0.2")
        #expect(config.testHbbs == "No" && config.isSelfTestDisabled)
        #expect(config.alwaysUseRelay)
        #expect(config.databaseURL == "/var/db.sqlite3")
        #expect(config.maxDatabaseConnections == 4)
        #expect(config.logLevel == .debug)
    }

    @Test(arguments: ["N", "yes", "", "1"])
    func alwaysUseRelayNeedsY(_ value: String) throws {
        #expect(try !configuration(environment: ["ALWAYS_USE_RELAY": value]).alwaysUseRelay)
    }

    @Test func secureTCPIsOnUnlessSwitchedOff() throws {
        #expect(try configuration().secureTCP)
        #expect(try configuration(environment: ["SECURE_TCP": "Y"]).secureTCP)
        #expect(try configuration(environment: ["SECURE_TCP": ""]).secureTCP)
        #expect(try !configuration(files: ["/srv/rustdesk/.env": "SECURE_TCP=N"]).secureTCP)
    }

    @Test(arguments: ["N", "n", "no", "0", "false", "OFF", " N "])
    func secureTCPOff(_ value: String) throws {
        #expect(try !configuration(environment: ["SECURE_TCP": value]).secureTCP)
    }

    @Test func policyOptions() throws {
        let defaults = try configuration()
        #expect(!defaults.api.mustLogin && defaults.allowIDChange)
        let set = try configuration(environment: ["MUST_LOGIN": "Y", "ALLOW_ID_CHANGE": "N"])
        #expect(set.api.mustLogin && !set.allowIDChange)
        #expect(try !configuration(environment: ["MUST_LOGIN": "N"]).api.mustLogin)
        // Sessions live in the API: MUST_LOGIN without it could never let anyone in.
        let failure = error(HbbsArguments(), environment: ["MUST_LOGIN": "Y", "API_PORT": "off"])
        #expect(failure?.option == .mustLogin)
        #expect(try !configuration(environment: ["MUST_LOGIN": "N", "API_PORT": "off"]).api.mustLogin)
    }

    @Test func lenientNumbersFallBack() throws {
        let config = try configuration(
            HbbsArguments(serial: "x", rmem: "-5"), environment: ["MAX_DATABASE_CONNECTIONS": "many"])
        #expect(config.serial == 0 && config.rmem == 0 && config.maxDatabaseConnections == 1)
    }

    @Test func unparsableMaskIsNoMask() throws {
        #expect(try configuration(HbbsArguments(mask: "lan")).mask == nil)
    }

    @Test func precedenceAcrossAllFourSources() throws {
        let files = ["/srv/rustdesk/.env": "KEY=env\nRMEM=2\nSERIAL=2", "/srv/rustdesk/c.ini": "KEY=ini\nRMEM=3"]
        let config = try configuration(
            HbbsArguments(config: "c.ini", key: "flag"),
            environment: ["KEY": "inherited", "RMEM": "1", "SERIAL": "1", "DB_URL": "inherited.db"], files: files)
        #expect(config.key == "flag")
        #expect(config.rmem == 3)
        #expect(config.serial == 2)
        #expect(config.databaseURL == "inherited.db")
    }

    @Test func rustLogIsReadFromTheInheritedEnvironmentOnly() throws {
        let config = try configuration(files: ["/srv/rustdesk/.env": "RUST_LOG=trace"])
        #expect(config.logLevel == .info)
    }

    @Test(arguments: [
        ("abc", "invalid value 'abc' for PORT (-p, --port): not a number"),
        ("", "invalid value '' for PORT (-p, --port): not a number"),
        ("2", "invalid value '2' for PORT (-p, --port): must be between 3 and 65533"),
        ("65534", "invalid value '65534' for PORT (-p, --port): must be between 3 and 65533"),
        ("-1", "invalid value '-1' for PORT (-p, --port): must be between 3 and 65533"),
        ("99999999999", "invalid value '99999999999' for PORT (-p, --port): not a number"),
    ])
    func invalidPort(value: String, message: String) {
        let failure = error(HbbsArguments(port: value))
        #expect(failure?.option == .port)
        #expect(failure?.description == message)
    }

    @Test func invalidPortFromTheEnvironmentIsAnErrorToo() {
        #expect(error(HbbsArguments(), environment: ["port": "x"])?.option == .port)
    }

    @Test func portBounds() throws {
        #expect(try configuration(HbbsArguments(port: "3")).port == 3)
        #expect(try configuration(HbbsArguments(port: "65533")).port == 65533)
        #expect(try configuration(HbbsArguments(port: "+21116")).port == 21116)
    }

    @Test(arguments: ["::1", " 10.1.2.3 ", "0.0.0.0", "2001:db8::7"])
    func validBind(_ value: String) throws {
        #expect(try configuration(HbbsArguments(bind: value)).bind != nil)
    }

    @Test(arguments: ["", "   "])
    func emptyBindMeansAllInterfaces(_ value: String) throws {
        #expect(try configuration(HbbsArguments(bind: value)).bind == nil)
    }

    @Test(arguments: ["localhost", "1.2.3", "[::1]", "fe80::1%eth0", "1.2.3.4:80"])
    func invalidBind(_ value: String) {
        let failure = error(HbbsArguments(bind: value))
        #expect(failure?.option == .bind)
        #expect(failure?.description.hasPrefix("invalid value '\(value)' for BIND (-b, --bind)") == true)
    }
}
