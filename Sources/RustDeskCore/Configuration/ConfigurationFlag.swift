/// Y/N options as the reference spells them (`Y`, `N`), plus the usual spellings.
enum ConfigurationFlag {
    /// On unless explicitly switched off (absent = on).
    static func isOn(_ text: String?) -> Bool {
        guard let text else { return true }
        return !["N", "NO", "0", "FALSE", "OFF"].contains(normalized(text))
    }

    /// Off unless explicitly switched on (absent = off).
    static func isYes(_ text: String?) -> Bool {
        guard let text else { return false }
        return ["Y", "YES", "1", "TRUE", "ON"].contains(normalized(text))
    }

    private static func normalized(_ text: String) -> String {
        text.filter { !$0.isWhitespace }.uppercased()
    }
}
