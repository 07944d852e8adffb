/// The usage of `rustdesk-utils user`, printed for a missing or unknown subcommand and after a usage
/// mistake (exit status 1 in every case, like the main help).
enum UserHelp {
    static let subcommands: Set<String> = ["add", "passwd", "list", "totp"]

    static let lines = [
        "Usage:",
        "    rustdesk-utils user add NAME --password P [--admin] [--email E] [--group G] [--db PATH]",
        "    rustdesk-utils user passwd NAME --password P [--db PATH]",
        "    rustdesk-utils user list [--db PATH]",
        "    rustdesk-utils user totp NAME [--disable] [--db PATH]",
        "",
        "Manages the client API's users in hbbs's database (default ./db_v2.sqlite3), also while hbbs runs.",
        "passwd also ends the user's sessions; totp enrols a new authenticator secret (--disable removes it).",
        "--password - reads the password from standard input.",
    ]

    static func print(to output: UtilsOutput) -> Int32 {
        for line in lines { output.line(line) }
        return 1
    }
}
