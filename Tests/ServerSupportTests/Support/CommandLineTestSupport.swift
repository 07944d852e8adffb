import Foundation
import RustDeskCore
import ServerSupport
import TestSupport

func write(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// Real file reading, but an injected environment and working directory.
func directoryInputs(_ directory: String, environment: [String: String] = [:]) -> ConfigurationInputs {
    ConfigurationInputs(
        environment: environment, currentDirectory: directory, readFile: ConfigurationInputs.readTextFile)
}
