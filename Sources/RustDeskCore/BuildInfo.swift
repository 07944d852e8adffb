import CBuildInfo

/// What `hbbs --version`, `hbbr --version` and `rustdesk-utils --version` print.
public enum BuildInfo {
    /// The release this source tree is; packages carry it too (scripts/package.sh reads it from here).
    public static let version = "0.9.0"

    /// The git commit of a packaged build (`git describe --always --dirty`), "unknown" otherwise.
    public static var commit: String { String(cString: rd_build_commit()) }

    /// `0.9.0 (commit 63bbbac)`.
    public static var versionDescription: String { "\(version) (commit \(commit))" }
}
