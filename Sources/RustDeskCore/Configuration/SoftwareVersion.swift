/// Derives the version hbbs announces in SoftwareUpdate from SOFTWARE-URL (hbbs.md §3.3).
public enum SoftwareVersion {
    /// `…/rustdesk-1.1.9.exe` → `1.1.9`, `…/rustdesk-1.1.9` → `1.1.9`; "" when the URL has no `-` or no `.`.
    public static func fromURL(_ url: String) -> String {
        let scalars = Array(url.unicodeScalars)
        guard let dash = scalars.lastIndex(of: "-"), let dot = scalars.lastIndex(of: ".") else { return "" }
        let afterDash = String(String.UnicodeScalarView(scalars[(dash + 1)...]))
        if dash > dot { return afterDash }
        // `-1.1.9`: the text after the last dot is a number, so that dot is part of the version.
        let afterDot = String(String.UnicodeScalarView(scalars[(dot + 1)...]))
        if RustNumberParsing.int32(afterDot) != nil { return afterDash }
        return String(String.UnicodeScalarView(scalars[(dash + 1)..<dot]))
    }
}
