import Foundation
import RelayCore
import RustDeskCore

/// Reads `blacklist.txt` and `blocklist.txt` at start (hbbr.md §3 step 2). A missing or unreadable file,
/// or one that is not UTF-8, gives an empty list, as in the reference.
public enum RelayListFiles {
    public static let blacklistFile = "blacklist.txt"
    public static let blocklistFile = "blocklist.txt"

    public static func load(_ name: String, directory: String = ".") -> RelayIPList {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else {
            return RelayIPList()
        }
        return RelayIPList(RelayIPList.parse(fileContents: text))
    }
}
