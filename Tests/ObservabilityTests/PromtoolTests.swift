import Foundation
import TestSupport
import Testing

/// The exposition as served, checked by the real `promtool check metrics` (Debian package
/// `prometheus`; CI installs it, so a missing promtool fails rather than skips).
@Suite("Observability: promtool")
struct PromtoolTests {
    static let promtool = "/usr/bin/promtool"

    @Test func servedExpositionPassesPromtool() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.promtool),
            "\(Self.promtool) not found: install the Debian package prometheus (scripts/setup.sh does)")
        let exposition = try await withEndpoint(registry: sampleRegistry()) { _, port in
            try await HTTPTestClient.get(port: port, "/metrics").body
        }
        #expect(String(decoding: exposition, as: UTF8.self).contains("hbbs_store_commit_seconds_bucket"))
        let (status, output) = try await Self.checkMetrics(exposition)
        #expect(status == 0 && output.isEmpty, "promtool check metrics (exit \(status)):\n\(output)")
    }

    @Test func promtoolReportsBadNames() async throws {
        // The check above could not fail if promtool accepted anything.
        try #require(FileManager.default.isExecutableFile(atPath: Self.promtool))
        let bad = "# HELP hbbs_requests counter without _total\n# TYPE hbbs_requests counter\nhbbs_requests 1\n"
        let (status, output) = try await Self.checkMetrics(Array(bad.utf8))
        #expect(status != 0 || !output.isEmpty)
    }

    /// Runs `promtool check metrics` with `exposition` on standard input; its exit status and output.
    /// Files rather than pipes, and the exit awaited, so no thread blocks on it.
    static func checkMetrics(_ exposition: [UInt8]) async throws -> (status: Int32, output: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("promtool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("metrics.txt")
        let output = directory.appendingPathComponent("output.txt")
        try Data(exposition).write(to: input)
        try Data().write(to: output)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        process.standardInput = try FileHandle(forReadingFrom: input)
        let outputHandle = try FileHandle(forWritingTo: output)
        process.standardOutput = outputHandle
        process.standardError = outputHandle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try outputHandle.close()
        let text = try String(contentsOf: output, encoding: .utf8)
        return (status, text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
