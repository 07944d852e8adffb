import APICore
import RustDeskCore

/// The `rustdesk-utils` tool (utils.md §1): picks the command and returns the process exit status.
///
/// Owns nothing but the dispatch; output, standard input, the doctor's network access, the password
/// hasher and the clock are injected so tests can run every command in-process.
public struct RustDeskUtils: Sendable {
    public let output: UtilsOutput
    public let doctorEnvironment: DoctorEnvironment
    public let hasher: PasswordHasher
    public let readLine: @Sendable () -> String?
    public let clock: APIClock

    public init(
        output: UtilsOutput = .standardOutput, doctorEnvironment: DoctorEnvironment = .system,
        hasher: PasswordHasher = .standard, readLine: @escaping @Sendable () -> String? = { Swift.readLine() },
        clock: APIClock = .system
    ) {
        self.output = output
        self.doctorEnvironment = doctorEnvironment
        self.hasher = hasher
        self.readLine = readLine
        self.clock = clock
    }

    /// Runs the command in `arguments` (program name excluded) and returns the exit status.
    public func run(_ arguments: [String]) async -> Int32 {
        guard let command = arguments.first else { return UtilsHelp.print(to: output) }
        switch command.lowercased() {
        case "--version", "-v", "version":
            output.line("rustdesk-utils \(BuildInfo.versionDescription)")
            return 0
        case "genkeypair":
            return GenKeyPairCommand.run(output: output)
        case "validatekeypair":
            guard arguments.count >= 3 else {
                return UtilsHelp.error("You must supply both the public and the secret key", to: output)
            }
            return ValidateKeyPairCommand.run(publicKey: arguments[1], secretKey: arguments[2], output: output)
        case "doctor":
            guard arguments.count >= 2 else {
                return UtilsHelp.error("You must supply the rustdesk-server address", to: output)
            }
            return DoctorCommand(environment: doctorEnvironment, output: output).run(server: arguments[1])
        case "user":
            return await UserCommand(output: output, hasher: hasher, readLine: readLine, clock: clock)
                .run(Array(arguments.dropFirst()))
        case "api-token":
            return await APITokenCommand(output: output, clock: clock).run(Array(arguments.dropFirst()))
        default:
            return UtilsHelp.print(to: output)
        }
    }
}
