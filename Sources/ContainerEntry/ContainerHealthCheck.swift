import Foundation
import RustDeskCore

/// The image's HEALTHCHECK: every hbbs and hbbr running in the container must answer `GET /readyz` with 200.
///
/// A scratch image has no shell or curl, so this small client does it. Each server's observability address is
/// worked out as the server itself did: its `--metrics-addr` or `--config` flag, its environment and the `.env`
/// in its working directory, all read from /proc. A server with the listener `off` counts as healthy while it
/// runs, since nothing else can be asked.
public struct ContainerHealthCheck {
    public struct Target: Equatable, Sendable {
        public let server: String
        public let address: MetricsAddress?
    }

    public static let timeoutSeconds = 3

    public let procRoot: String
    /// Used when a server's environment or working directory cannot be read: a health check runs without
    /// CAP_SYS_PTRACE, so root may not read the environment of a server that runs as the service user.
    /// The check's own environment is the container's, which the server got too.
    public let fallbackEnvironment: [String: String]
    public let fallbackDirectory: String

    public init(
        procRoot: String = "/proc", fallbackEnvironment: [String: String] = ProcessInfo.processInfo.environment,
        fallbackDirectory: String = ContainerDataDirectory.choose { FileManager.default.fileExists(atPath: $0) }
    ) {
        self.procRoot = procRoot
        self.fallbackEnvironment = fallbackEnvironment
        self.fallbackDirectory = fallbackDirectory
    }

    /// Prints one line per server and returns the exit status: 0 when all are ready, 1 otherwise.
    public func run(log: (String) -> Void) -> Int32 {
        let targets = findTargets(log: log)
        guard !targets.isEmpty else {
            log("unhealthy: no hbbs or hbbr is running")
            return 1
        }
        var healthy = true
        for target in targets {
            guard let address = target.address else {
                log("\(target.server): running (metrics listener off)")
                continue
            }
            let answer = Self.probe(address)
            log("\(target.server) \(address): \(answer.text)")
            healthy = healthy && answer.ready
        }
        return healthy ? 0 : 1
    }

    /// Every hbbs and hbbr process with its observability address (nil: the listener is off, or its
    /// configuration could not be read, which its own start would have refused).
    public func findTargets(log: (String) -> Void) -> [Target] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: procRoot)) ?? []
        return entries.filter { $0.allSatisfy(\.isNumber) }.sorted().compactMap { pid in
            let directory = procRoot + "/" + pid
            guard let comm = read(directory + "/comm")?.trimmingCharacters(in: .whitespacesAndNewlines),
                comm == "hbbs" || comm == "hbbr"
            else { return nil }
            let arguments = Array(split(read(directory + "/cmdline") ?? "").dropFirst())
            var environment = fallbackEnvironment
            if let environ = read(directory + "/environ") {
                environment = [:]
                for entry in split(environ) {
                    guard let equals = entry.firstIndex(of: "=") else { continue }
                    environment[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
                }
            }
            let directoryPath =
                (try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/cwd")) ?? fallbackDirectory
            let inputs = ConfigurationInputs(
                environment: environment, currentDirectory: directoryPath,
                readFile: { path in
                    FileManager.default.fileExists(atPath: path)
                        ? try String(contentsOfFile: path, encoding: .utf8) : nil
                })
            let flags = MetricsFlags(arguments)
            do {
                let address =
                    comm == "hbbs"
                    ? try HbbsConfiguration(
                        arguments: HbbsArguments(config: flags.config, metricsAddress: flags.metricsAddress),
                        inputs: inputs
                    ).metricsAddress
                    : try HbbrConfiguration(
                        arguments: HbbrArguments(metricsAddress: flags.metricsAddress), inputs: inputs
                    ).metricsAddress
                return Target(server: comm, address: address)
            } catch {
                log("\(comm): cannot read its configuration (\(error)); checking the default address")
                let fallback =
                    comm == "hbbs" ? HbbsConfiguration.defaultMetricsAddress : HbbrConfiguration.defaultMetricsAddress
                return Target(server: comm, address: fallback)
            }
        }
    }

    private func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private func split(_ text: String) -> [String] {
        text.split(separator: "\0", omittingEmptySubsequences: true).map(String.init)
    }

    /// `GET /readyz` over HTTP/1.0 with a deadline; a listener on every address is asked on loopback.
    static func probe(_ address: MetricsAddress) -> (ready: Bool, text: String) {
        let host =
            address.host.isUnspecified ? (address.host.isIPv4 ? "127.0.0.1" : "::1") : address.hostLiteral
        switch HTTPProbe.get(host: host, port: address.port, path: "/readyz", timeoutSeconds: timeoutSeconds) {
        case .success(let response):
            let statusLine = response.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
            let ready = statusLine.hasPrefix("HTTP/1.1 200") || statusLine.hasPrefix("HTTP/1.0 200")
            let body = response.components(separatedBy: "\r\n\r\n").dropFirst().joined()
                .trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: "; ")
            return (ready, ready ? body : "not ready: \(statusLine) \(body)")
        case .failure(let reason):
            return (false, "unreachable: \(reason)")
        }
    }
}

/// The two flags that move the observability listener, in ArgumentParser's spellings.
struct MetricsFlags {
    var metricsAddress: String?
    var config: String?

    init(_ arguments: [String]) {
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            let next = arguments.index(after: index)
            let value = next < arguments.endIndex ? arguments[next] : nil
            if argument == "--metrics-addr" {
                metricsAddress = value
            } else if argument.hasPrefix("--metrics-addr=") {
                metricsAddress = String(argument.dropFirst("--metrics-addr=".count))
            } else if argument == "-c" || argument == "--config" {
                config = value
            } else if argument.hasPrefix("--config=") {
                config = String(argument.dropFirst("--config=".count))
            }
            index = next
        }
    }
}
