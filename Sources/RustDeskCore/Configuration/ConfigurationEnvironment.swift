/// The merged, immutable view of every configuration source, replacing the reference's habit of
/// writing each source into the process environment (which we never mutate).
///
/// Built lowest precedence first: the inherited environment as is, then each overlay (`.env`,
/// `--config` file, command line) writes its keys under their normalised names, overwriting.
/// Lookups follow hbbs.md §2.1 exactly, so the same quirks apply (an inherited `relay_servers` is found
/// only when no higher-ranked spelling exists).
public struct ConfigurationEnvironment: Sendable, Equatable {
    /// Variable name → value after all overlays.
    public let variables: [String: String]

    public init(inherited: [String: String] = [:]) {
        variables = inherited
    }

    private init(variables: [String: String]) {
        self.variables = variables
    }

    /// A new view where each entry is written under its normalised name; later entries win.
    public func overlaying(_ entries: some Sequence<(key: String, value: String)>) -> ConfigurationEnvironment {
        var merged = variables
        for entry in entries {
            merged[OptionName.normalized(entry.key)] = entry.value
        }
        return ConfigurationEnvironment(variables: merged)
    }

    /// The value of option `name`, or nil if no source sets it (an empty value counts as set).
    public func value(forOption name: String) -> String? {
        for candidate in OptionName.lookupCandidates(for: name) {
            if let value = variables[candidate] { return value }
        }
        // Last resort: any spelling that normalises to the same name; the smallest name wins so the
        // answer does not depend on dictionary order.
        let wanted = OptionName.normalized(name)
        let match = variables.keys.filter { OptionName.normalized($0) == wanted }
            .min { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return match.flatMap { variables[$0] }
    }
}
