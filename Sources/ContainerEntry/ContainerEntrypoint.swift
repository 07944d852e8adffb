import Foundation

/// The container's first process: picks the data directory, hands it to the service user, installs a given
/// key pair, then becomes the server (or supervises both). See `ServiceAccount` for why it starts as root.
public struct ContainerEntrypoint {
    /// Where the image keeps hbbs, hbbr and rustdesk-utils.
    public static let binDirectory = "/usr/bin"
    static let secretsDirectory = "/run/secrets"

    public init() {}

    /// Returns only when the servers have stopped or could not start: the container's exit status.
    public func run(_ arguments: [String], environment: [String: String]) -> Int32 {
        do throws(ContainerError) {
            switch try ContainerCommand.parse(arguments, environment: environment) {
            case .healthCheck:
                return ContainerHealthCheck().run(log: Self.say)
            case .run(let program, let arguments):
                let directory = try enterDataDirectory()
                if program != "rustdesk-utils" { try prepareKeys(in: directory, environment: environment) }
                throw Launcher.exec(Self.binDirectory + "/" + program, arguments: arguments)
            case .both(let hbbsArguments, let hbbrArguments):
                let directory = try enterDataDirectory()
                try prepareKeys(in: directory, environment: environment)
                Self.log(
                    "starting hbbr \(hbbrArguments.joined(separator: " ")) and hbbs \(hbbsArguments.joined(separator: " "))"
                )
                return Launcher.supervise(
                    [(Self.binDirectory + "/hbbr", hbbrArguments), (Self.binDirectory + "/hbbs", hbbsArguments)],
                    log: Self.log)
            }
        } catch {
            Self.log("error: \(error)")
            return 1
        }
    }

    /// Picks the data directory, hands it to the service user (dropping root) and makes it the working one.
    private func enterDataDirectory() throws(ContainerError) -> String {
        let directory = ContainerDataDirectory.choose { FileManager.default.fileExists(atPath: $0) }
        if directory != ContainerDataDirectory.volume {
            Self.log(
                "using \(directory): it holds rustdesk-server's data and \(ContainerDataDirectory.volume) does not")
        }
        let switched = try ServiceAccount.adopt(directory)
        guard FileManager.default.changeCurrentDirectoryPath(directory) else {
            throw .dataDirectory(path: directory, reason: "cannot enter it")
        }
        setenv("HOME", directory, 1)
        if switched { Self.log("running as uid \(ServiceAccount.userID) in \(directory)") }
        return directory
    }

    private func prepareKeys(in directory: String, environment: [String: String]) throws(ContainerError) {
        let keys = ContainerKeys(
            directory: directory, environment: environment,
            secretPublic: Self.readSecret("key_pub"), secretPrivate: Self.readSecret("key_priv"))
        switch try keys.prepare() {
        case .written(let publicKey): Self.log("key pair written from the given keys; public key \(publicKey)")
        case .kept, nil: break
        }
    }

    private static func readSecret(_ name: String) -> String? {
        FileManager.default.contents(atPath: secretsDirectory + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }

    static func log(_ line: String) {
        FileHandle.standardError.write(Data("entrypoint: \(line)\n".utf8))
    }

    /// The health check's lines go to standard output, where `podman healthcheck` and `docker inspect` show them.
    static func say(_ line: String) {
        print(line)
    }
}
