import RustDeskCore

/// In-memory configuration inputs: no real environment, directory or file is touched.
func memoryInputs(
    environment: [String: String] = [:], files: [String: String] = [:], currentDirectory: String = "/srv/rustdesk"
) -> ConfigurationInputs {
    ConfigurationInputs(environment: environment, currentDirectory: currentDirectory, readFile: { files[$0] })
}

struct UnreadableFile: Error {}
