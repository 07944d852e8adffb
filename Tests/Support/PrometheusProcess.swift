import Foundation
import NIOCore
import NIOPosix

/// A real Prometheus server (`/usr/bin/prometheus`, Debian package `prometheus`) for tests: it
/// scrapes the given loopback targets every `scrapeInterval` and answers PromQL through its HTTP
/// API. Everything lives in a temporary directory removed by `stop()`; it listens on 127.0.0.1 only.
public final class PrometheusProcess: Sendable {
    public static let executable = "/usr/bin/prometheus"

    /// A scrape job: its name and one `host:port` target.
    public struct Target: Sendable {
        public let job: String
        public let address: String

        public init(job: String, address: String) {
            self.job = job
            self.address = address
        }
    }

    /// One element of an instant vector.
    public struct Sample: Sendable, Equatable {
        public let labels: [String: String]
        public let value: Double
    }

    /// The port of Prometheus's own web server on 127.0.0.1.
    public let port: Int
    private let process: Process
    private let directory: URL
    private let logFile: URL

    private init(process: Process, port: Int, directory: URL, logFile: URL) {
        self.process = process
        self.port = port
        self.directory = directory
        self.logFile = logFile
    }

    /// Starts Prometheus and waits until it reports ready; retries on another port if the free port
    /// it was given was taken meanwhile.
    public static func start(
        targets: [Target], scrapeInterval: Duration = .seconds(1), readyTimeout: Duration = .seconds(60)
    ) async throws -> PrometheusProcess {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw PrometheusProcessError.missing(executable)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            let config = directory.appendingPathComponent("prometheus.yml")
            try configuration(targets: targets, scrapeInterval: scrapeInterval).write(
                to: config, atomically: true, encoding: .utf8)
            let deadline = ContinuousClock.now + readyTimeout
            for attempt in 1...5 {
                let candidate = try await launch(config: config, directory: directory, attempt: attempt)
                switch await candidate.waitUntilReady(deadline: deadline) {
                case .ready:
                    return candidate
                case .exited(let log) where log.contains("address already in use") && attempt < 5:
                    continue
                case .exited(let log):
                    throw PrometheusProcessError.notReady(log: log)
                case .timedOut(let log):
                    await candidate.terminate()
                    throw PrometheusProcessError.notReady(log: "not ready within \(readyTimeout)\n" + log)
                }
            }
            throw PrometheusProcessError.notReady(log: "no free port")
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Starts Prometheus, runs `body` with it and stops it, whether `body` succeeds or throws.
    public static func with<Result>(
        targets: [Target], scrapeInterval: Duration = .seconds(1),
        _ body: (PrometheusProcess) async throws -> Result
    ) async throws -> Result {
        let prometheus = try await start(targets: targets, scrapeInterval: scrapeInterval)
        do {
            let result = try await body(prometheus)
            await prometheus.stop()
            return result
        } catch {
            await prometheus.stop()
            throw error
        }
    }

    /// The instant vector `promQL` evaluates to now (`/api/v1/query`).
    public func query(_ promQL: String) async throws -> [Sample] {
        let response = try await HTTPTestClient.get(port: port, "/api/v1/query?query=" + Self.percentEncoded(promQL))
        guard response.status == 200 else {
            throw PrometheusProcessError.queryFailed(query: promQL, status: response.status, body: response.text)
        }
        let decoded = try JSONDecoder().decode(QueryResponse.self, from: Data(response.body))
        return decoded.data.result.map { Sample(labels: $0.metric, value: $0.value.number) }
    }

    /// Queries again and again until a sample's value satisfies `condition`, and returns that value;
    /// throws with the last answer if none does within `timeout`.
    @discardableResult
    public func waitForValue(
        query promQL: String, timeout: Duration = .seconds(60), where condition: (Double) -> Bool
    ) async throws -> Double {
        let deadline = ContinuousClock.now + timeout
        var last = "nothing yet"
        while true {
            do {
                let samples = try await query(promQL)
                if let match = samples.first(where: { condition($0.value) }) { return match.value }
                last = "\(samples)"
            } catch {
                last = "\(error)"
            }
            guard ContinuousClock.now < deadline else {
                throw PrometheusProcessError.noMatchingValue(query: promQL, last: last, log: log)
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Ends Prometheus (SIGTERM, SIGKILL after 20 s) and removes its directory.
    public func stop() async {
        await terminate()
        try? FileManager.default.removeItem(at: directory)
    }

    /// What Prometheus logged so far.
    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    private func terminate() async {
        guard process.isRunning else { return }
        process.terminate()
        if await poll(timeout: .seconds(20), { !process.isRunning }) { return }
        kill(process.processIdentifier, SIGKILL)
        _ = await poll(timeout: .seconds(10)) { !process.isRunning }
    }

    private enum Startup {
        case ready
        case exited(log: String)
        case timedOut(log: String)
    }

    private func waitUntilReady(deadline: ContinuousClock.Instant) async -> Startup {
        while ContinuousClock.now < deadline {
            guard process.isRunning else { return .exited(log: log) }
            if let response = try? await HTTPTestClient.get(port: port, "/-/ready", timeout: .seconds(5)),
                response.status == 200
            {
                return .ready
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return .timedOut(log: log)
    }

    private static func launch(config: URL, directory: URL, attempt: Int) async throws -> PrometheusProcess {
        let port = try await freePort()
        let logFile = directory.appendingPathComponent("prometheus-\(attempt).log")
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil),
            let log = FileHandle(forWritingAtPath: logFile.path)
        else { throw PrometheusProcessError.notReady(log: "cannot create \(logFile.path)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--config.file=\(config.path)",
            "--storage.tsdb.path=\(directory.appendingPathComponent("data-\(attempt)").path)",
            "--web.listen-address=127.0.0.1:\(port)",
        ]
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return PrometheusProcess(process: process, port: port, directory: directory, logFile: logFile)
    }

    /// A port that was free a moment ago (Prometheus binds it itself, so it may be taken by then).
    private static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port
        try await channel.close()
        guard let port else { throw PrometheusProcessError.notReady(log: "no local port") }
        return port
    }

    static func configuration(targets: [Target], scrapeInterval: Duration) -> String {
        let milliseconds = max(
            1,
            Int(scrapeInterval.components.seconds * 1000)
                + Int(scrapeInterval.components.attoseconds / 1_000_000_000_000_000))
        var text = """
            global:
              scrape_interval: \(milliseconds)ms
              scrape_timeout: \(milliseconds)ms
            scrape_configs:

            """
        for target in targets {
            text += """
                  - job_name: "\(target.job)"
                    static_configs:
                      - targets: ["\(target.address)"]

                """
        }
        return text
    }

    private static func percentEncoded(_ text: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        return text.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }
            .joined()
    }
}

public enum PrometheusProcessError: Error, CustomStringConvertible {
    case missing(String)
    case notReady(log: String)
    case queryFailed(query: String, status: Int, body: String)
    case noMatchingValue(query: String, last: String, log: String)

    public var description: String {
        switch self {
        case .missing(let path):
            "\(path) not found: install the Debian package prometheus (scripts/setup.sh does)"
        case .notReady(let log): "Prometheus did not become ready:\n\(log.suffix(4000))"
        case .queryFailed(let query, let status, let body): "query \(query) answered \(status): \(body)"
        case .noMatchingValue(let query, let last, let log):
            "no matching value for \(query); last answer: \(last)\nPrometheus log:\n\(log.suffix(4000))"
        }
    }
}

/// The parts of an `/api/v1/query` answer that an instant vector has.
private struct QueryResponse: Decodable {
    struct Result: Decodable {
        let metric: [String: String]
        let value: SampleValue
    }
    struct Payload: Decodable {
        let result: [Result]
    }
    let data: Payload
}

/// `[<unix time>, "<value>"]`.
private struct SampleValue: Decodable {
    let number: Double

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        _ = try container.decode(Double.self)
        let text = try container.decode(String.self)
        guard let number = Double(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a number: \(text)")
        }
        self.number = number
    }
}
