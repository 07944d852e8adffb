import Foundation
import Logging
import NIOPosix
import Observability
import RustDeskCore
import ServiceLifecycle
import TestSupport
import Testing

@testable import ContainerEntry

/// The HEALTHCHECK against a fake /proc (so that the processes' flags, environment and `.env` can be chosen)
/// and a real observability listener answering /readyz.
struct ContainerHealthCheckTests {
    /// One fake process: /proc/<pid>/{comm,cmdline,environ} and a `cwd` link.
    private func addProcess(
        _ proc: TemporaryDirectory, pid: Int, comm: String, arguments: [String] = [],
        environment: [String] = [], directory: String
    ) throws {
        let path = proc.file(String(pid))
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Data((comm + "\n").utf8).write(to: URL(fileURLWithPath: path + "/comm"))
        try Data(([comm] + arguments).map { $0 + "\0" }.joined().utf8).write(
            to: URL(fileURLWithPath: path + "/cmdline"))
        try Data(environment.map { $0 + "\0" }.joined().utf8).write(to: URL(fileURLWithPath: path + "/environ"))
        try FileManager.default.createSymbolicLink(atPath: path + "/cwd", withDestinationPath: directory)
    }

    private func check(_ proc: TemporaryDirectory, environment: [String: String] = [:]) -> ContainerHealthCheck {
        ContainerHealthCheck(procRoot: proc.path, fallbackEnvironment: environment, fallbackDirectory: "/nonexistent")
    }

    private func withListener(
        _ readiness: Readiness, _ body: (Int) async throws -> Void
    ) async throws {
        let server = ObservabilityServer(
            host: "127.0.0.1", port: 0, registry: .init(), readiness: { readiness },
            group: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "health-check-test"))
        let port = try #require(try await server.start().port)
        try await body(port)
        await server.close()
    }

    @Test func eachServersAddressComesFromItsFlagsEnvironmentAndDotEnv() throws {
        let proc = try TemporaryDirectory()
        let data = try TemporaryDirectory()
        try data.write(".env", "METRICS_ADDR=127.0.0.1:7777\n")
        let elsewhere = try TemporaryDirectory()
        try addProcess(proc, pid: 7, comm: "hbbs", arguments: ["--metrics-addr", "9000"], directory: elsewhere.path)
        try addProcess(proc, pid: 8, comm: "hbbr", environment: ["METRICS_ADDR=off"], directory: elsewhere.path)
        try addProcess(proc, pid: 9, comm: "hbbs", directory: data.path)
        try addProcess(proc, pid: 10, comm: "hbbr", directory: elsewhere.path)
        try addProcess(proc, pid: 11, comm: "sh", directory: elsewhere.path)
        try FileManager.default.createDirectory(atPath: proc.file("self"), withIntermediateDirectories: true)

        let targets = check(proc).findTargets(log: { _ in })
        #expect(
            targets == [
                .init(server: "hbbr", address: HbbrConfiguration.defaultMetricsAddress),
                .init(server: "hbbs", address: .loopback(port: 9000)),
                .init(server: "hbbr", address: nil),
                .init(server: "hbbs", address: .loopback(port: 7777)),
            ])
    }

    @Test func probeAddressesAreIPv4OrIPv6Literals() throws {
        let v4 = try #require(HTTPProbe.socketAddress(host: "127.0.0.1", port: 21120))
        #expect(v4.2 == AF_INET && v4.1 == socklen_t(MemoryLayout<sockaddr_in>.size))
        let v6 = try #require(HTTPProbe.socketAddress(host: "::1", port: 21121))
        #expect(v6.2 == AF_INET6 && v6.1 == socklen_t(MemoryLayout<sockaddr_in6>.size))
        #expect(HTTPProbe.socketAddress(host: "localhost", port: 1) == nil)
    }

    @Test func anUnreadableEnvironmentFallsBackToTheContainers() throws {
        let proc = try TemporaryDirectory()
        let path = proc.file("12")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Data("hbbs\n".utf8).write(to: URL(fileURLWithPath: path + "/comm"))
        try Data("hbbs\0".utf8).write(to: URL(fileURLWithPath: path + "/cmdline"))
        let targets = check(proc, environment: ["METRICS_ADDR": "127.0.0.1:8888"]).findTargets(log: { _ in })
        #expect(targets == [.init(server: "hbbs", address: .loopback(port: 8888))])
    }

    @Test func readyServersPassAndAnythingElseFails() async throws {
        let directory = try TemporaryDirectory()
        try await withListener(.ready) { readyPort in
            try await withListener(.notReady(reasons: ["store: not writable"])) { notReadyPort in
                let ready = try TemporaryDirectory()
                try addProcess(
                    ready, pid: 1, comm: "hbbs", arguments: ["--metrics-addr=\(readyPort)"], directory: directory.path)
                try addProcess(
                    ready, pid: 2, comm: "hbbr", environment: ["METRICS_ADDR=off"], directory: directory.path)
                var lines: [String] = []
                #expect(check(ready).run { lines.append($0) } == 0)
                #expect(lines == ["hbbs 127.0.0.1:\(readyPort): ready", "hbbr: running (metrics listener off)"])

                try addProcess(
                    ready, pid: 3, comm: "hbbr", arguments: ["--metrics-addr", "\(notReadyPort)"],
                    directory: directory.path)
                lines = []
                #expect(check(ready).run { lines.append($0) } == 1)
                #expect(lines.last?.contains("not ready: HTTP/1.0 503") == true, "\(lines)")
                #expect(lines.last?.contains("store: not writable") == true)
            }
        }
    }

    @Test func noServerOrAnUnreachableOneIsUnhealthy() throws {
        let empty = try TemporaryDirectory()
        var lines: [String] = []
        #expect(check(empty).run { lines.append($0) } == 1)
        #expect(lines == ["unhealthy: no hbbs or hbbr is running"])

        // A port bound but not listening refuses connections, and stays ours while the test runs.
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        try #require(bound)
        let closedPort = Int(UInt16(bigEndian: address.sin_port))
        let proc = try TemporaryDirectory()
        try addProcess(
            proc, pid: 1, comm: "hbbs", arguments: ["--metrics-addr", "\(closedPort)"], directory: empty.path)
        lines = []
        #expect(check(proc).run { lines.append($0) } == 1)
        #expect(lines.first?.contains("unreachable: connect") == true)
    }
}
