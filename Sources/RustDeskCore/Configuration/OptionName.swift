/// Option-name normalisation of hbbs.md §2.1: every option is an environment-style variable whose
/// name is compared upper-cased with `_` replaced by `-`, so `relay_servers` and `RELAY-SERVERS` agree.
public enum OptionName {
    /// The name a source writes its value under: upper-cased, `_` → `-` (`relay_servers` → `RELAY-SERVERS`).
    public static func normalized(_ name: String) -> String {
        name.uppercased().replacing("_", with: "-")
    }

    /// The exact names tried, in order, before falling back to a scan of all variables:
    /// `NAME-WITH-DASHES`, `NAME_WITH_UNDERSCORES`, `name-with-dashes`, `name_with_underscores`.
    public static func lookupCandidates(for name: String) -> [String] {
        let dashed = normalized(name)
        let underscored = dashed.replacing("-", with: "_")
        return [dashed, underscored, dashed.lowercased(), underscored.lowercased()]
    }
}
