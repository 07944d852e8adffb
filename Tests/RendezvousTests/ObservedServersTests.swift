import Foundation
import TestSupport
import Testing

/// The built hbbs and hbbr with their metrics endpoints: promtool accepts both expositions, and a real
/// Prometheus server on loopback scrapes both and answers a query for an hbbs counter.
@Suite("Executables: metrics and health", .serialized)
struct ObservedServersTests {
    @Test func prometheusScrapesBothServers() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Promtool.path), "install the Debian package prometheus")
        let directory = try TemporaryDirectory()
        let hbbsPort = try ExecutableTests.freePortBlock()
        let hbbrPort = try ExecutableTests.freePortBlock()
        let hbbsMetrics = try Self.freePort()
        let hbbrMetrics = try Self.freePort()
        let hbbs = try ExecutableTests.launch(
            "hbbs", ["-p", "\(hbbsPort)"], in: directory.path, metricsAddress: "127.0.0.1:\(hbbsMetrics)")
        defer { if hbbs.isRunning { hbbs.terminate() } }
        let hbbr = try ExecutableTests.launch(
            "hbbr", ["-p", "\(hbbrPort)"], in: directory.path, metricsAddress: "127.0.0.1:\(hbbrMetrics)")
        defer { if hbbr.isRunning { hbbr.terminate() } }

        // Ready means hbbs's UDP port answered its own self-test probe and its store takes writes.
        #expect(try await Self.waitForStatus(200, port: hbbsMetrics, "/readyz"))
        #expect(try await Self.waitForStatus(200, port: hbbrMetrics, "/readyz"))
        #expect(try await HTTPTestClient.get(port: hbbsMetrics, "/healthz").status == 200)

        let udp = try await UDPTestPeer()
        let registration = Messages.registerPk(Messages.newID(), uuid: Messages.newUUID(), pk: Messages.newPk())
        var registered = false
        let deadline = ContinuousClock.now + .seconds(30)
        while !registered && ContinuousClock.now < deadline {
            try await udp.send(registration, to: hbbsPort)
            registered = (try? await udp.receive(timeout: .milliseconds(500)))?.registerPkResponse.result == .ok
        }
        #expect(registered)
        await udp.close()

        for port in [hbbsMetrics, hbbrMetrics] {
            let exposition = try await HTTPTestClient.get(port: port, "/metrics").body
            let (status, output) = try await Promtool.checkMetrics(exposition)
            #expect(status == 0 && output.isEmpty, "promtool check metrics (exit \(status)):\n\(output)")
        }

        try await PrometheusProcess.with(targets: [
            .init(job: "hbbs", address: "127.0.0.1:\(hbbsMetrics)"),
            .init(job: "hbbr", address: "127.0.0.1:\(hbbrMetrics)"),
        ]) { prometheus in
            try await prometheus.waitForValue(query: #"hbbs_registrations_total{result="ok"}"#) { $0 >= 1 }
            try await prometheus.waitForValue(query: #"up{job="hbbr"}"#) { $0 == 1 }
        }

        kill(hbbs.processIdentifier, SIGTERM)
        kill(hbbr.processIdentifier, SIGTERM)
        #expect(await ExecutableTests.waitForExit(hbbs) && hbbs.terminationStatus == 0)
        #expect(await ExecutableTests.waitForExit(hbbr) && hbbr.terminationStatus == 0)
    }

    /// Polls `target` until it answers `status` (the server may still be starting); false on timeout.
    static func waitForStatus(_ status: Int, port: Int, _ target: String) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if (try? await HTTPTestClient.get(port: port, target, timeout: .seconds(2)))?.status == status {
                return true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    static func freePort() throws -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: 20_000...32_000)  // below the ephemeral range, as freePortBlock
            // Never one inside a block another test of this process was given.
            let claimed = ExecutableTests.handedOut.withLock { $0.insert(port).inserted }
            if claimed && ExecutableTests.canBind(port: port, type: Int32(SOCK_STREAM.rawValue)) { return port }
        }
        throw TestTimeout(what: "a free port")
    }
}
