import ArgumentParser
import Foundation
import RustDeskCore
import ServerSupport
import TestSupport
import Testing

@Suite("hbbs command line")
struct HbbsCommandLineTests {
    @Test func shortFlags() throws {
        let line = try HbbsCommandLine.parse([
            "-c", "x.ini", "-b", "::1", "-p", "30000", "-s", "3", "-R", "r1,r2", "-u", "https://h/rustdesk-1.2.exe",
            "-r", "relay", "-M", "1024", "--mask", "10.0.0.0/8", "-k", "-",
        ])
        #expect(
            line.arguments
                == HbbsArguments(
                    config: "x.ini", bind: "::1", port: "30000", serial: "3", rendezvousServers: "r1,r2",
                    softwareURL: "https://h/rustdesk-1.2.exe", relayServers: "relay", rmem: "1024", mask: "10.0.0.0/8",
                    key: "-"))
    }

    @Test func longFlags() throws {
        let line = try HbbsCommandLine.parse([
            "--config", "x.ini", "--bind", "1.2.3.4", "--port=30000", "--serial", "3", "--rendezvous-servers", "r",
            "--software-url", "u", "--relay-servers", "relay", "--rmem", "1", "--mask", "m", "--key", "k",
        ])
        #expect(
            line.arguments
                == HbbsArguments(
                    config: "x.ini", bind: "1.2.3.4", port: "30000", serial: "3", rendezvousServers: "r",
                    softwareURL: "u",
                    relayServers: "relay", rmem: "1", mask: "m", key: "k"))
    }

    @Test func noFlagsMeansNothingGiven() throws {
        #expect(try HbbsCommandLine.parse([]).arguments == HbbsArguments())
    }

    @Test(arguments: [["--unknown"], ["-x", "1"], ["--local-ip", "1.2.3.4"], ["extra"]])
    func unknownFlagsAreRejected(_ arguments: [String]) throws {
        do {
            _ = try HbbsCommandLine.parse(arguments)
            Issue.record("accepted \(arguments)")
        } catch {
            #expect(HbbsCommandLine.exitCode(for: error) != .success)
            let message = HbbsCommandLine.message(for: error)
            #expect(message.contains(arguments[0]), "\(message)")
        }
    }

    @Test func valuesAreValidatedByTheConfiguration() throws {
        let line = try HbbsCommandLine.parse(["-p", "abc"])
        let inputs = ConfigurationInputs(environment: [:], currentDirectory: "/nonexistent") { _ in nil }
        #expect(throws: ConfigurationError.invalidValue(option: .port, value: "abc", reason: .notANumber)) {
            try line.configuration(inputs: inputs)
        }
    }

    @Test func allSourcesFromARealDirectory() throws {
        try withTemporaryDirectory { directory in
            try write(
                "# shared settings\r\nPORT=30000\r\nrelay_servers=from-env\r\nKEY=env-key\r\nRMEM=5\r\n",
                to: directory + "/.env")
            try write("relay-servers = \"from-config\"\nKEY=config-key\n", to: directory + "/hbbs.ini")
            let line = try HbbsCommandLine.parse(["--config", "hbbs.ini", "-k", "flag-key"])
            let config = try line.configuration(
                inputs: directoryInputs(directory, environment: ["PORT": "1", "RMEM": "1", "SERIAL": "9"]))
            #expect(config.port == 30000)
            #expect(config.rmem == 5)
            #expect(config.serial == 9)
            #expect(config.relayServers == ["from-config"])
            #expect(config.key == "flag-key")
            #expect(config.warnings.isEmpty)
        }
    }

    @Test func absoluteConfigPathAndMissingConfigFile() throws {
        try withTemporaryDirectory { directory in
            try write("DB_URL=/data/db.sqlite3", to: directory + "/abs.ini")
            let found = try HbbsCommandLine.parse(["-c", directory + "/abs.ini"])
                .configuration(inputs: directoryInputs("/"))
            #expect(found.databaseURL == "/data/db.sqlite3")
            let missing = try HbbsCommandLine.parse(["-c", "missing.ini"]).configuration(
                inputs: directoryInputs(directory))
            #expect(missing.databaseURL == HbbsConfiguration.defaultDatabaseURL)
            #expect(missing.warnings.count == 1)
        }
    }

    @Test func invalidUTF8FileIsSkipped() throws {
        try withTemporaryDirectory { directory in
            try [UInt8]([0x50, 0x4F, 0x52, 0x54, 0x3D, 0xFF, 0x0A]).withUnsafeBytes { bytes in
                try Data(bytes).write(to: URL(fileURLWithPath: directory + "/.env"))
            }
            let config = try HbbsCommandLine.parse([]).configuration(inputs: directoryInputs(directory))
            #expect(config.port == HbbsConfiguration.defaultPort)
            #expect(config.warnings.count == 1)
        }
    }
}
