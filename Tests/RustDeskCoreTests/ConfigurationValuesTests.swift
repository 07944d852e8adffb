import RustDeskCore
import Testing

@Suite("Configuration: value parsers")
struct ConfigurationValuesTests {
    @Test(arguments: [
        ("https://example.com/rustdesk-1.1.9.exe", "1.1.9"),
        ("https://example.com/rustdesk-1.1.9", "1.1.9"),
        ("rustdesk-1.2.3-x86_64.dmg", "x86_64"),
        ("https://example.com/download/latest", ""),
        ("rustdesk-", ""),
        ("no-dot-here", ""),
        ("a.b-c", "c"),
        ("", ""),
        ("file-1.", "1"),
    ])
    func versionFromSoftwareURL(url: String, version: String) {
        #expect(SoftwareVersion.fromURL(url) == version)
    }

    @Test(arguments: [
        ("192.168.0.0/16", "192.168.0.0/16"), ("10.1.2.3", "10.1.2.3/32"), ("10.1.2.3/255.255.255.0", "10.1.2.3/24"),
        ("0.0.0.0/0", "0.0.0.0/0"), ("172.16.5.4/0.0.0.0", "172.16.5.4/0"), ("1.2.3.4/255.255.255.255", "1.2.3.4/32"),
    ])
    func maskForms(text: String, description: String) {
        #expect(IPv4Network(parsing: text)?.description == description)
    }

    @Test(arguments: [
        "", "lan", "192.168.0.0/33", "192.168.0.0/", "192.168.0.0/255.0.255.0", "::1/128", "1.2.3/8", "1.2.3.4/8/8",
    ])
    func unparsableMask(_ text: String) {
        #expect(IPv4Network(parsing: text) == nil)
    }

    @Test func maskContainment() throws {
        let lan = try #require(IPv4Network(parsing: "192.168.7.9/16"))
        #expect(lan.contains(IPAddress(v4Octets: 192, 168, 200, 1)))
        #expect(lan.contains(IPAddress(v4Octets: 192, 168, 200, 1).ipv4Mapped))
        #expect(!lan.contains(IPAddress(v4Octets: 192, 169, 0, 1)))
        #expect(!lan.contains(.ipv6Loopback))
        let host = try #require(IPv4Network(parsing: "10.0.0.1"))
        #expect(host.contains(IPAddress(v4Octets: 10, 0, 0, 1)) && !host.contains(IPAddress(v4Octets: 10, 0, 0, 2)))
    }

    @Test(
        arguments: [
            (nil, LogLevel.info), ("", .info), ("debug", .debug), ("TRACE", .trace), ("warn", .warning),
            ("warning", .warning), ("error", .error), ("off", .off), ("hbbs=debug,warn", .debug),
            ("warn,hbbs=error", .error),
            ("hbbr=trace,error", .error), ("sqlx=warn", .info), ("hbbs", .trace), ("hbbs=", .trace),
            ("verbose", .info), ("hbbs=loud", .info), ("a b", .info), ("info/regex", .info), ("debug/x/y", .info),
            (" info , hbbs = warn ", .warning), ("error,debug", .error),
        ] as [(String?, LogLevel)])
    func rustLog(spec: String?, level: LogLevel) {
        #expect(LogLevel(rustLog: spec, module: "hbbs") == level)
    }

    @Test func levelsAreOrdered() {
        #expect(LogLevel.trace < .debug && LogLevel.debug < .info && LogLevel.warning < .error && LogLevel.error < .off)
    }

    @Test func serverListSplitting() {
        #expect(ServerList.split("a,b:21117,,c") == ["a", "b:21117", "c"])
        #expect(ServerList.split(" a , b") == [" a ", " b"])
        #expect(ServerList.split("").isEmpty && ServerList.split(",,").isEmpty)
    }
}
