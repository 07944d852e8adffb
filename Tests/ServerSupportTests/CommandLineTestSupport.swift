import Foundation
import RustDeskCore
import ServerSupport

/// A fresh directory per test (tests run in parallel), removed when the closure returns.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("config-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

func write(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// Real file reading, but an injected environment and working directory.
func directoryInputs(_ directory: String, environment: [String: String] = [:]) -> ConfigurationInputs {
    ConfigurationInputs(
        environment: environment, currentDirectory: directory, readFile: ConfigurationInputs.readTextFile)
}
