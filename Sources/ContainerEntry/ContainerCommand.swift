/// What the container was asked to run: its command names the server, as with rustdesk/rustdesk-server's
/// image (`IMAGE hbbs -r host`, `IMAGE hbbr`), and no command runs both, as rustdesk-server-s6 does.
public enum ContainerCommand: Equatable, Sendable {
    /// One server or tool, replacing the entrypoint (`exec`), so that it is the container's main process.
    case run(program: String, arguments: [String])
    /// hbbs and hbbr side by side, configured from `RELAY` and `ENCRYPTED_ONLY` like the s6 image.
    case both(hbbs: [String], hbbr: [String])
    /// The image's HEALTHCHECK: `/readyz` of every server running in the container.
    case healthCheck

    /// The programs a command may name; the image holds nothing else to run.
    public static let programs: Set<String> = ["hbbs", "hbbr", "rustdesk-utils"]

    /// Reads the container's command (the arguments after the entrypoint) and environment.
    public static func parse(_ arguments: [String], environment: [String: String]) throws(ContainerError)
        -> ContainerCommand
    {
        guard let first = arguments.first else {
            let keyOnly = environment["ENCRYPTED_ONLY"] == "1" ? ["-k", "_"] : []
            let relay = environment["RELAY"].flatMap { $0.isEmpty ? nil : ["-r", $0] } ?? []
            return .both(hbbs: relay + keyOnly, hbbr: keyOnly)
        }
        if first == "healthcheck" { return .healthCheck }
        // `/usr/bin/hbbs` works too, as it does in an image that has a shell and a PATH.
        let program = first.split(separator: "/").last.map(String.init) ?? first
        guard programs.contains(program) else { throw .unknownCommand(first) }
        return .run(program: program, arguments: Array(arguments.dropFirst()))
    }
}
