import RustDeskCore
import Synchronization

/// One of hbbr's IP lists (`blacklist.txt`: relays capped at LIMIT_SPEED; `blocklist.txt`: refused),
/// holding IP texts as given. Read at start from its file, edited live by the console, consulted by
/// the relay with normalised IP text (hbbr.md §3, §4, §6.3).
public final class RelayIPList: Sendable {
    /// Guards the entries; held for one set operation.
    private let entries: Mutex<Set<String>>

    public init(_ entries: some Sequence<String> = []) {
        self.entries = Mutex(Set(entries))
    }

    /// The entries of a list file: split on `\n`, trim, keep the text up to the first space (an empty
    /// line gives the empty string, which is harmless).
    public static func parse(fileContents: String) -> [String] {
        // Split on scalars: as a Character, "\r\n" is one grapheme and would not split on "\n".
        fileContents.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var text = String.UnicodeScalarView()
            text.append(contentsOf: line)
            let trimmed = ConsoleCommandLine.trimmed(Substring(String(text)))
            var entry = String.UnicodeScalarView()
            entry.append(contentsOf: trimmed.unicodeScalars.prefix { $0 != " " })
            return String(entry)
        }
    }

    public var count: Int { entries.withLock { $0.count } }
    public var all: [String] { entries.withLock { Array($0) } }

    public func contains(_ ip: String) -> Bool { entries.withLock { $0.contains(ip) } }

    public func insert(_ ips: some Sequence<String>) {
        entries.withLock { $0.formUnion(ips) }
    }

    public func remove(_ ips: some Sequence<String>) {
        entries.withLock { $0.subtract(ips) }
    }

    public func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}
