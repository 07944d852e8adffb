import Testing

@testable import ContainerEntry

struct ContainerCommandTests {
    @Test func theCommandNamesTheServerAsInRustdeskServersImage() throws {
        #expect(
            try ContainerCommand.parse(["hbbs", "-r", "relay.example.com:21117"], environment: [:])
                == .run(program: "hbbs", arguments: ["-r", "relay.example.com:21117"]))
        #expect(try ContainerCommand.parse(["hbbr"], environment: [:]) == .run(program: "hbbr", arguments: []))
        #expect(
            try ContainerCommand.parse(["/usr/bin/rustdesk-utils", "genkeypair"], environment: [:])
                == .run(program: "rustdesk-utils", arguments: ["genkeypair"]))
        #expect(try ContainerCommand.parse(["healthcheck"], environment: [:]) == .healthCheck)
    }

    @Test func noCommandRunsBothServersFromTheS6ImagesVariables() throws {
        #expect(try ContainerCommand.parse([], environment: [:]) == .both(hbbs: [], hbbr: []))
        #expect(
            try ContainerCommand.parse([], environment: ["RELAY": "relay.example.com", "ENCRYPTED_ONLY": "1"])
                == .both(hbbs: ["-r", "relay.example.com", "-k", "_"], hbbr: ["-k", "_"]))
        #expect(
            try ContainerCommand.parse([], environment: ["RELAY": "", "ENCRYPTED_ONLY": "0"])
                == .both(hbbs: [], hbbr: []))
    }

    @Test func anythingElseIsRefusedWithTheCommandsThatExist() {
        #expect(throws: ContainerError.unknownCommand("sh")) { try ContainerCommand.parse(["sh"], environment: [:]) }
        #expect(ContainerError.unknownCommand("sh").description.contains("hbbs, hbbr or rustdesk-utils"))
    }

    @Test func theClassicImagesRootIsUsedOnlyWhenItHoldsTheDataAndDataDoesNot() {
        #expect(ContainerDataDirectory.choose { _ in false } == "/data")
        #expect(ContainerDataDirectory.choose { $0 == "/root/id_ed25519" } == "/root")
        #expect(ContainerDataDirectory.choose { $0 == "/root/db_v2.sqlite3" } == "/root")
        #expect(ContainerDataDirectory.choose { $0.hasSuffix("/db_v2.sqlite3") } == "/data")
        #expect(ContainerDataDirectory.choose { $0 == "/data/id_ed25519.pub" } == "/data")
    }

    @Test func metricsFlagsAreReadInEverySpelling() {
        #expect(MetricsFlags(["--metrics-addr", "9000"]).metricsAddress == "9000")
        #expect(MetricsFlags(["-p", "1", "--metrics-addr=off"]).metricsAddress == "off")
        #expect(MetricsFlags(["-c", "/etc/x.conf"]).config == "/etc/x.conf")
        #expect(MetricsFlags(["--config=y.conf", "--metrics-addr"]).config == "y.conf")
        #expect(MetricsFlags(["--config=y.conf", "--metrics-addr"]).metricsAddress == nil)
    }
}
