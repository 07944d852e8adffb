import ArgumentParser
import RustDeskCore
import ServerSupport
import TestSupport
import Testing

/// `--metrics-addr` on both servers, against `.env` and the environment in a real directory.
@Suite("metrics-addr command line")
struct MetricsAddressCommandLineTests {
    @Test func flagIsParsedOnBothServers() throws {
        #expect(
            try HbbsCommandLine.parse(["--metrics-addr", "9100"]).arguments == HbbsArguments(metricsAddress: "9100"))
        #expect(try HbbrCommandLine.parse(["--metrics-addr=off"]).arguments == HbbrArguments(metricsAddress: "off"))
    }

    @Test func helpNamesTheDefaults() {
        #expect(HbbsCommandLine.helpMessage().contains("--metrics-addr"))
        #expect(HbbsCommandLine.helpMessage().contains("127.0.0.1:21120"))
        #expect(HbbrCommandLine.helpMessage().contains("127.0.0.1:21121"))
    }

    @Test func flagWinsOverDotEnvWhichWinsOverEnvironment() throws {
        try withTemporaryDirectory { directory in
            let environment = ["METRICS_ADDR": "127.0.0.1:9200"]
            let bare = directoryInputs(directory, environment: environment)
            #expect(try HbbsCommandLine.parse([]).configuration(inputs: bare).metricsAddress?.port == 9200)
            #expect(try HbbrCommandLine.parse([]).configuration(inputs: bare).metricsAddress?.port == 9200)

            try write("METRICS_ADDR=[::1]:9300\n", to: directory + "/.env")
            let inputs = directoryInputs(directory, environment: environment)
            #expect(
                try HbbsCommandLine.parse([]).configuration(inputs: inputs).metricsAddress?.description == "[::1]:9300")
            #expect(
                try HbbrCommandLine.parse([]).configuration(inputs: inputs).metricsAddress?.description == "[::1]:9300")

            #expect(
                try HbbsCommandLine.parse(["--metrics-addr", "OFF"]).configuration(inputs: inputs).metricsAddress == nil
            )
            #expect(
                try HbbrCommandLine.parse(["--metrics-addr", "9400"]).configuration(inputs: inputs).metricsAddress?.port
                    == 9400)
        }
    }

    @Test func badFlagValueNamesTheOption() throws {
        try withTemporaryDirectory { directory in
            do {
                _ = try HbbrCommandLine.parse(["--metrics-addr", "localhost:9100"]).configuration(
                    inputs: directoryInputs(directory))
                Issue.record("accepted")
            } catch {
                #expect(
                    "\(error)"
                        == "invalid value 'localhost:9100' for METRICS_ADDR (--metrics-addr): expected off, PORT, IPv4:PORT or [IPv6]:PORT"
                )
            }
            #expect(throws: ConfigurationError.self) {
                try HbbsCommandLine.parse(["--metrics-addr", "[::1]:99999"]).configuration(
                    inputs: directoryInputs(directory))
            }
        }
    }
}
