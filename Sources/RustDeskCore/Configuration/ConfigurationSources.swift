/// Builds the merged `ConfigurationEnvironment` from the sources of hbbs.md §2.1 / hbbr.md §2, in
/// precedence order command line > `--config` file (hbbs only) > `.env` > inherited environment.
public enum ConfigurationSources {
    /// The result of merging: the view plus notes about files that were skipped, for the caller to log.
    public struct Merged: Sendable, Equatable {
        public let environment: ConfigurationEnvironment
        public let warnings: [String]
    }

    /// `commandLine` holds only the options actually given, keyed by option name in any spelling.
    public static func merge(
        inputs: ConfigurationInputs,
        configFile: String? = nil,
        commandLine: [(key: String, value: String)] = []
    ) -> Merged {
        var warnings: [String] = []
        var environment = ConfigurationEnvironment(inherited: inputs.environment)
        let dotEnv = inputs.resolve(".env")
        if let entries = readEntries(dotEnv, inputs: inputs, missingIsWarning: false, warnings: &warnings) {
            environment = environment.overlaying(entries)
        }
        if let configFile {
            let path = inputs.resolve(configFile)
            if let entries = readEntries(path, inputs: inputs, missingIsWarning: true, warnings: &warnings) {
                environment = environment.overlaying(entries)
            }
        }
        return Merged(environment: environment.overlaying(commandLine), warnings: warnings)
    }

    /// Like the reference, a file that cannot be read or parsed contributes nothing; we also say why.
    private static func readEntries(
        _ path: String,
        inputs: ConfigurationInputs,
        missingIsWarning: Bool,
        warnings: inout [String]
    ) -> [(key: String, value: String)]? {
        let text: String?
        do {
            text = try inputs.readFile(path)
        } catch {
            warnings.append("ignoring \(path): cannot read it (\(error))")
            return nil
        }
        guard let text else {
            if missingIsWarning { warnings.append("ignoring \(path): no such file") }
            return nil
        }
        do {
            return try IniReader.globalEntries(of: text)
        } catch {
            warnings.append("ignoring \(path): \(error)")
            return nil
        }
    }
}
