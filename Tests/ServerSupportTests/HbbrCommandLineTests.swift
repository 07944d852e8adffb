import ArgumentParser
import RustDeskCore
import ServerSupport
import TestSupport
import Testing

@Suite("hbbr command line")
struct HbbrCommandLineTests {
    @Test func flags() throws {
        #expect(
            try HbbrCommandLine.parse(["-p", "30000", "-b", "::", "-k", "_"]).arguments
                == HbbrArguments(port: "30000", bind: "::", key: "_"))
        #expect(
            try HbbrCommandLine.parse(["--port", "1", "--bind", "b", "--key", ""]).arguments
                == HbbrArguments(port: "1", bind: "b", key: ""))
    }

    @Test(arguments: [["--config", "x.ini"], ["-c", "x.ini"], ["--relay-servers", "r"], ["-s", "1"]])
    func hbbsOnlyFlagsAreRejected(_ arguments: [String]) {
        do {
            _ = try HbbrCommandLine.parse(arguments)
            Issue.record("accepted \(arguments)")
        } catch {
            #expect(HbbrCommandLine.exitCode(for: error) != .success)
            #expect(HbbrCommandLine.message(for: error).contains(arguments[0]))
        }
    }

    @Test func dotEnvPortPlusOneAndFlagPrecedence() throws {
        try withTemporaryDirectory { directory in
            try write("PORT=21116\nSINGLE_BANDWIDTH=16\nLIMIT_SPEED=4\nKEY=env\n", to: directory + "/.env")
            let inputs = directoryInputs(directory, environment: ["PORT": "1000", "LIMIT_SPEED": "8"])
            let fromEnv = try HbbrCommandLine.parse([]).configuration(inputs: inputs)
            #expect(fromEnv.port == 21117)
            #expect(fromEnv.singleBandwidth == 16 * 1024 * 1024)
            #expect(fromEnv.limitSpeed == 4 * 1024 * 1024)
            #expect(fromEnv.key == "env")
            let fromFlag = try HbbrCommandLine.parse(["-p", "21116", "-k", "flag"]).configuration(inputs: inputs)
            #expect(fromFlag.port == 21116)
            #expect(fromFlag.key == "flag")
        }
    }

    @Test func invalidFlagValueNamesTheOption() throws {
        let line = try HbbrCommandLine.parse(["--port", "http"])
        do {
            _ = try line.configuration(
                inputs: ConfigurationInputs(environment: [:], currentDirectory: "/") { _ in nil })
            Issue.record("accepted")
        } catch {
            #expect(error.description == "invalid value 'http' for PORT (-p, --port): not a number")
        }
    }
}
