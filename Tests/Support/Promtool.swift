import Foundation

/// The real `promtool` (Debian package `prometheus`; scripts/setup.sh installs it).
public enum Promtool {
    public static let path = "/usr/bin/promtool"

    /// Runs `promtool check metrics` with `exposition` on standard input; its exit status and output.
    /// Files rather than pipes, and the exit awaited, so no thread blocks on it.
    public static func checkMetrics(_ exposition: [UInt8]) async throws -> (status: Int32, output: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("promtool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("metrics.txt")
        let output = directory.appendingPathComponent("output.txt")
        try Data(exposition).write(to: input)
        try Data().write(to: output)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
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
