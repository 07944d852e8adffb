import Foundation
import RustDeskCore

extension ConfigurationInputs {
    /// The real process's inputs: its environment, working directory and file system. Read once at start;
    /// tests build their own `ConfigurationInputs` instead.
    public static func process() -> ConfigurationInputs {
        ConfigurationInputs(
            environment: ProcessInfo.processInfo.environment,
            currentDirectory: FileManager.default.currentDirectoryPath,
            readFile: readTextFile)
    }

    /// nil when the file does not exist; throws when it exists but is unreadable or not UTF-8, which the
    /// configuration treats like the reference does: that file is skipped.
    @Sendable public static func readTextFile(_ path: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}
