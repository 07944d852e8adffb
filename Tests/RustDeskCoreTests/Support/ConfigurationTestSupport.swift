import RustDeskCore

/// In-memory configuration inputs: no real environment, directory or file is touched.
func memoryInputs(
    environment: [String: String] = [:], files: [String: String] = [:], currentDirectory: String = "/srv/rustdesk"
) -> ConfigurationInputs {
    ConfigurationInputs(environment: environment, currentDirectory: currentDirectory, readFile: { files[$0] })
}

/// The error `body` throws; nil when it returns.
func configurationError<Value>(_ body: () throws(ConfigurationError) -> Value) -> ConfigurationError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

struct UnreadableFile: Error {}
