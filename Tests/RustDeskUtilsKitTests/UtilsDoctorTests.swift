import RustDeskCore
import RustDeskUtilsKit
import Testing

struct UtilsDoctorTests {
    typealias Support = UtilsTestSupport

    @Test func doctorChecksLoopbackPorts() async throws {
        let open = try #require(LoopbackSocket(listening: true))
        let closed = try #require(LoopbackSocket(listening: false))
        let environment = DoctorEnvironment(
            ports: [
                DoctorPort(port: open.port, label: "open one"), DoctorPort(port: closed.port, label: "closed one"),
            ],
            connectTimeout: .seconds(2),
            resolve: { _ in .failure(DoctorLookupError(reason: "must not be called")) },
            reverseLookup: { _ in .failure(DoctorLookupError(reason: "must not be called")) })
        let result = await Support.run(["Doctor", "  127.0.0.1 \n"], doctor: environment)
        #expect(result.status == 0)
        try #require(result.lines.count == 8)
        #expect(
            Array(result.lines.prefix(6)) == [
                "Checking server:  127.0.0.1", "", "", "Checking IP address: 127.0.0.1", "Is IPV4: true",
                "Is IPV6: false",
            ])
        #expect(result.lines[6].wholeMatch(of: /TCP Port \d+ \(open one\): OK in \d+ ms/) != nil)
        #expect(result.lines[6].hasPrefix("TCP Port \(open.port) "))
        #expect(result.lines[7] == "TCP Port \(closed.port) (closed one): ERROR")
    }

    @Test func doctorReportsIPv6() async {
        let environment = DoctorEnvironment(ports: [])
        let result = await Support.run(["doctor", "::1"], doctor: environment)
        #expect(result.status == 0)
        #expect(
            result.lines == [
                "Checking server:  ::1", "", "", "Checking IP address: ::1", "Is IPV4: false", "Is IPV6: true",
            ])
    }

    @Test func doctorResolvesNamesAndComparesReverseDNS() async {
        let environment = DoctorEnvironment(
            ports: [],
            resolve: { name in
                name == "relay.example.com"
                    ? .success([IPAddress(v4Octets: 192, 0, 2, 1), IPAddress(v4Octets: 192, 0, 2, 2), .ipv6Loopback])
                    : .failure(DoctorLookupError(reason: "unexpected \(name)"))
            },
            reverseLookup: { ip in
                switch ip {
                case IPAddress(v4Octets: 192, 0, 2, 1): .success("relay.example.com")
                case IPAddress(v4Octets: 192, 0, 2, 2): .success("other.example.net")
                default: .failure(DoctorLookupError(reason: "Name or service not known"))
                }
            })
        let result = await Support.run(["doctor", " Relay.EXAMPLE.com "], doctor: environment)
        #expect(result.status == 0)
        #expect(
            result.lines == [
                "Checking server:  relay.example.com", "",
                "Found 3 IP addresses: ", " - 192.0.2.1", " - 192.0.2.2", " - ::1",
                "", "Checking IP address: 192.0.2.1", "Is IPV4: true", "Is IPV6: false",
                "Reverse DNS lookup: 'relay.example.com' MATCHES server address",
                "", "Checking IP address: 192.0.2.2", "Is IPV4: true", "Is IPV6: false",
                "Reverse DNS lookup: 'other.example.net' DOESN'T MATCH server address 'relay.example.com'",
                "", "Checking IP address: ::1", "Is IPV4: false", "Is IPV6: true",
                "Reverse DNS lookup: failed (Name or service not known)",
            ])
    }

    @Test func doctorReportsAFailedLookupInsteadOfCrashing() async {
        let environment = DoctorEnvironment(
            ports: [], resolve: { _ in .failure(DoctorLookupError(reason: "Name or service not known")) })
        let result = await Support.run(["doctor", "nowhere.invalid"], doctor: environment)
        #expect(result.status == 1)
        #expect(
            result.lines == [
                "Checking server:  nowhere.invalid", "",
                "ERROR: DNS lookup of 'nowhere.invalid' failed: Name or service not known",
            ])
    }

    @Test func systemResolverFindsLocalhost() throws {
        let addresses = try DoctorNetwork.resolve("localhost").get()
        #expect(!addresses.isEmpty)
        #expect(addresses.allSatisfy { $0.isLoopback })
        #expect(Set(addresses).count == addresses.count)
    }

    @Test func systemReverseLookupAnswersForLoopback() throws {
        let name = try DoctorNetwork.reverseLookup(IPAddress(v4Octets: 127, 0, 0, 1)).get()
        #expect(!name.isEmpty)
    }

    @Test func connectGivesUpAtTheTimeout() throws {
        // A loopback listener whose accept queue is full drops new SYNs: the connect hangs until our
        // timeout (the OS's own would be minutes), and no packet leaves the machine.
        let full = try #require(LoopbackSocket(listening: true, backlog: 0))
        full.fillAcceptQueue(count: 4)
        let clock = ContinuousClock()
        let start = clock.now
        let elapsed = DoctorNetwork.measureConnect(
            to: IPAddress(v4Octets: 127, 0, 0, 1), port: full.port, timeout: .milliseconds(300))
        #expect(elapsed == nil)
        // Generous for a loaded machine; what matters is seconds, not the kernel's minutes of SYN retries.
        #expect(clock.now - start < .seconds(20))
    }
}
