import RustDeskCore
import Testing

@Suite("Configuration: option names and sources")
struct ConfigurationEnvironmentTests {
    @Test(arguments: [
        ("relay_servers", "RELAY-SERVERS"), ("RELAY-SERVERS", "RELAY-SERVERS"), ("Relay_Servers", "RELAY-SERVERS"),
        ("db_url", "DB-URL"), ("port", "PORT"),
    ])
    func normalisation(name: String, normalized: String) {
        #expect(OptionName.normalized(name) == normalized)
    }

    /// Each lookup form on its own finds the option.
    @Test(arguments: [
        "RELAY-SERVERS", "RELAY_SERVERS", "relay-servers", "relay_servers", "Relay_Servers", "rElAy-SeRvErS",
    ])
    func everySpellingIsFound(spelling: String) {
        let environment = ConfigurationEnvironment(inherited: [spelling: "r1"])
        #expect(environment.value(forOption: "relay-servers") == "r1")
        #expect(environment.value(forOption: "RELAY_SERVERS") == "r1")
    }

    /// The exact forms are tried in order: dashed, underscored, lower dashed, lower underscored, then a scan.
    @Test func lookupOrder() {
        let all = [
            "RELAY-SERVERS": "1", "RELAY_SERVERS": "2", "relay-servers": "3", "relay_servers": "4",
            "Relay_Servers": "5",
        ]
        var environment = all
        for expected in ["1", "2", "3", "4", "5"] {
            #expect(ConfigurationEnvironment(inherited: environment).value(forOption: "relay_servers") == expected)
            if let key = environment.first(where: { $0.value == expected })?.key { environment[key] = nil }
        }
    }

    @Test func scanPicksTheLexicographicallySmallestName() {
        let environment = ConfigurationEnvironment(inherited: [
            "Relay_servers": "b", "RELAY_Servers": "a", "rElay-servers": "c",
        ])
        #expect(environment.value(forOption: "RELAY-SERVERS") == "a")
    }

    @Test func absentAndEmptyAreDifferent() {
        let environment = ConfigurationEnvironment(inherited: ["KEY": ""])
        #expect(environment.value(forOption: "KEY") == "")
        #expect(environment.value(forOption: "BIND") == nil)
    }

    @Test func overlaysWriteNormalisedNames() {
        let environment = ConfigurationEnvironment(inherited: ["RELAY_SERVERS": "inherited"])
            .overlaying([(key: "relay-servers", value: "overlay")])
        #expect(environment.variables["RELAY-SERVERS"] == "overlay")
        #expect(environment.value(forOption: "relay_servers") == "overlay")
    }

    // MARK: precedence: command line > --config > .env > inherited

    private let dotEnv = "/srv/rustdesk/.env"

    @Test func inheritedOnly() {
        let merged = ConfigurationSources.merge(inputs: memoryInputs(environment: ["PORT": "1"]))
        #expect(merged.environment.value(forOption: "port") == "1")
        #expect(merged.warnings.isEmpty)
    }

    @Test func dotEnvOverridesInherited() {
        let inputs = memoryInputs(environment: ["PORT": "1", "port": "0"], files: [dotEnv: "port=2\n"])
        #expect(ConfigurationSources.merge(inputs: inputs).environment.value(forOption: "PORT") == "2")
    }

    @Test func configFileOverridesDotEnv() {
        let inputs = memoryInputs(
            environment: ["PORT": "1"], files: [dotEnv: "PORT=2\nKEY=k2", "/srv/rustdesk/hbbs.ini": "PORT=3"])
        let merged = ConfigurationSources.merge(inputs: inputs, configFile: "hbbs.ini")
        #expect(merged.environment.value(forOption: "PORT") == "3")
        #expect(merged.environment.value(forOption: "KEY") == "k2")
    }

    @Test func commandLineOverridesEverything() {
        let inputs = memoryInputs(
            environment: ["PORT": "1"], files: [dotEnv: "PORT=2", "/etc/hbbs.ini": "PORT=3"])
        let merged = ConfigurationSources.merge(
            inputs: inputs, configFile: "/etc/hbbs.ini", commandLine: [(key: "port", value: "4")])
        #expect(merged.environment.value(forOption: "PORT") == "4")
    }

    @Test func missingConfigFileIsAWarningButMissingDotEnvIsNot() {
        let merged = ConfigurationSources.merge(inputs: memoryInputs(), configFile: "nope.ini")
        #expect(merged.warnings.count == 1)
        #expect(merged.warnings.first?.contains("/srv/rustdesk/nope.ini") == true)
    }

    @Test func malformedOrUnreadableFilesAreSkippedWithAWarning() {
        let malformed = memoryInputs(environment: ["PORT": "1"], files: [dotEnv: "PORT=2\n=oops\n"])
        let merged = ConfigurationSources.merge(inputs: malformed)
        #expect(merged.environment.value(forOption: "PORT") == "1")
        #expect(merged.warnings.count == 1)

        let unreadable = ConfigurationInputs(environment: [:], currentDirectory: "/x") { _ in throw UnreadableFile() }
        #expect(ConfigurationSources.merge(inputs: unreadable).warnings.count == 1)
    }
}
