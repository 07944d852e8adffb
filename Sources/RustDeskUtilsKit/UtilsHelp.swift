/// The usage text of utils.md §1, printed for a missing or unknown command and after argument errors.
enum UtilsHelp {
    static let lines = [
        "Usage:",
        "    rustdesk-utils [command]",
        "",
        "Available Commands:",
        "    genkeypair                                   Generate a new keypair",
        "    validatekeypair [public key] [secret key]    Validate an existing keypair",
        "    doctor [rustdesk-server]                     Check for server connection problems",
        "    user [add|passwd|list|totp] ...              Manage API users (rustdesk-utils user for details)",
        "    api-token [create|list|revoke] ...           Manage API tokens (rustdesk-utils api-token for details)",
    ]

    /// Prints the help and returns the exit status that always follows it.
    static func print(to output: UtilsOutput) -> Int32 {
        for line in lines { output.line(line) }
        return 1
    }

    /// `ERROR: <message>`, a blank line, then the help.
    static func error(_ message: String, to output: UtilsOutput) -> Int32 {
        output.line("ERROR: \(message)")
        output.line()
        return print(to: output)
    }
}
