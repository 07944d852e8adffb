/// What configuration reads from outside the program: the inherited environment, the working directory
/// (where `.env` lives and relative `--config` paths start) and a file reader. Injected so that tests
/// never touch the real process; ServerSupport supplies the process-backed value.
public struct ConfigurationInputs: Sendable {
    /// Reads a whole text file; returns nil when it does not exist, throws when it exists but cannot be read.
    public typealias FileReader = @Sendable (_ path: String) throws -> String?

    public var environment: [String: String]
    public var currentDirectory: String
    public var readFile: FileReader

    public init(environment: [String: String], currentDirectory: String, readFile: @escaping FileReader) {
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.readFile = readFile
    }

    /// `path` made absolute against `currentDirectory` (unchanged if already absolute).
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return currentDirectory.hasSuffix("/") ? currentDirectory + path : currentDirectory + "/" + path
    }
}
