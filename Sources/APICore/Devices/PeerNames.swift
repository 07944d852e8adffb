/// What an address book shows of a device, as its last sysinfo reported it: OS user, host name, and
/// platform in the client's spelling. Kept in the device directory for every device, so each value is
/// cut to `maxLength` characters there; an address-book list fills empty peer fields from it.
public struct PeerNames: Sendable, Equatable {
    public var username: String
    public var hostname: String
    /// `Windows`, `Linux`, `Mac OS`, `Android`, or empty when the OS is not one the client knows.
    public var platform: String

    /// Longest name kept per device: host names are at most 63 characters, OS user names shorter.
    public static let maxLength = 64

    public init(username: String = "", hostname: String = "", platform: String = "") {
        self.username = Self.bounded(username)
        self.hostname = Self.bounded(hostname)
        self.platform = Self.bounded(platform)
    }

    /// From a sysinfo's `os` string, read as the client reads the group tab's `info.os`.
    public init(username: String, hostname: String, os: String) {
        self.init(username: username, hostname: hostname, platform: Self.platform(fromOS: os))
    }

    public var isEmpty: Bool { username.isEmpty && hostname.isEmpty && platform.isEmpty }

    /// The platform name the client's peer model uses for a sysinfo `os` such as
    /// `windows / Windows 10 Pro - 19045`: its first ` / `-separated token, any case; anything else
    /// that mentions linux is Linux; otherwise empty (the client then shows no platform).
    public static func platform(fromOS os: String) -> String {
        let first = os.split(separator: " / ", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        switch first.lowercased() {
        case "windows": return "Windows"
        case "linux": return "Linux"
        case "macos": return "Mac OS"
        case "android": return "Android"
        default: return os.lowercased().contains("linux") ? "Linux" : ""
        }
    }

    private static func bounded(_ text: String) -> String {
        text.count <= maxLength ? text : String(text.prefix(maxLength))
    }
}
