/// The words after `user <subcommand>` (or `api-token <subcommand>`): positional words, `--name value` (or `--name=value`, needed
/// for a value that starts with `--`) options and bare `--flag`s. Which options take a value is fixed here; anything else starting with `--` is
/// an error, so a typo never silently becomes a name.
struct UserArguments: Equatable {
    static let valueOptions: Set<String> = ["password", "email", "group", "db"]
    static let flags: Set<String> = ["admin", "disable"]

    var positional: [String] = []
    var values: [String: String] = [:]
    var flagsSet: Set<String> = []

    /// The words parsed, or the usage mistake to print; the option sets default to `user`'s.
    static func parse(
        _ words: [String], valueOptions: Set<String> = valueOptions, flags: Set<String> = flags
    ) -> Result<UserArguments, UserCommandError> {
        var parsed = UserArguments()
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("--") else {
                parsed.positional.append(word)
                continue
            }
            let option = word.dropFirst(2)
            if let equals = option.firstIndex(of: "=") {
                let name = String(option[..<equals])
                guard valueOptions.contains(name) else { return .failure(.unknownOption(word)) }
                parsed.values[name] = String(option[option.index(after: equals)...])
            } else if flags.contains(String(option)) {
                parsed.flagsSet.insert(String(option))
            } else if valueOptions.contains(String(option)) {
                // `--password --db x` is a forgotten value, not the password "--db"; `--password=--x` says it.
                guard index < words.count, !words[index].hasPrefix("--") else { return .failure(.missingValue(word)) }
                parsed.values[String(option)] = words[index]
                index += 1
            } else {
                return .failure(.unknownOption(word))
            }
        }
        return .success(parsed)
    }

    func value(_ name: String) -> String? { values[name] }
    func has(_ flag: String) -> Bool { flagsSet.contains(flag) }
}
