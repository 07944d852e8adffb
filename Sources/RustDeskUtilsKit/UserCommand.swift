import APICore
import PeerStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `rustdesk-utils user add|passwd|list|totp` (issue 12 item 5): manages the client API's accounts in
/// hbbs's database, also while hbbs runs (`StandaloneAPIStore`); hbbs reads accounts per login, so
/// changes take effect at once. Passwords are hashed with Argon2id here; the clear text is never stored or printed.
struct UserCommand {
    /// Shown in authenticator apps next to the account name.
    static let totpIssuer = "RustDesk"

    let output: UtilsOutput
    let hasher: PasswordHasher
    /// One line of standard input, for `--password -`.
    let readLine: @Sendable () -> String?
    let clock: APIClock

    func run(_ words: [String]) async -> Int32 {
        guard let subcommand = words.first?.lowercased(), UserHelp.subcommands.contains(subcommand) else {
            return UserHelp.print(to: output)
        }
        let arguments: UserArguments
        switch UserArguments.parse(Array(words.dropFirst())) {
        case .success(let parsed): arguments = parsed
        case .failure(let error): return fail(error)
        }
        do throws(UserCommandError) {
            switch subcommand {
            case "add": try await add(arguments)
            case "passwd": try await changePassword(arguments)
            case "list": try await list(arguments)
            default: try await totp(arguments)
            }
            return 0
        } catch {
            return fail(error)
        }
    }

    private func fail(_ error: UserCommandError) -> Int32 {
        output.line("ERROR: \(error.message)")
        guard error.showsHelp else { return 1 }
        output.line()
        return UserHelp.print(to: output)
    }

    // MARK: Subcommands

    private func add(_ arguments: UserArguments) async throws(UserCommandError) {
        let name = try Self.validName(arguments)
        let email = arguments.value("email") ?? ""
        guard email.isEmpty || (email.contains("@") && email.utf8.count <= 254) else { throw .invalidEmail }
        let hash = try passwordHash(arguments)
        let group = arguments.value("group").flatMap { $0.isEmpty ? nil : $0 }
        let user = try await withStore(arguments) { store throws(APIStoreError) in
            try await store.insertUser(
                NewUser(
                    name: name, email: email, passwordHash: hash, isAdmin: arguments.has("admin"), groupName: group),
                now: clock.now())
        } onConflict: {
            .duplicate(name: name)
        }
        output.line("Created user \(user.name)\(user.isAdmin ? " (administrator)" : "")")
    }

    private func changePassword(_ arguments: UserArguments) async throws(UserCommandError) {
        let name = try Self.validName(arguments)
        let hash = try passwordHash(arguments)
        let now = clock.now()
        let revoked = try await withStore(arguments) { store throws(APIStoreError) in
            let user = try await Self.user(named: name, in: store)
            try await store.setPassword(userID: user.id, hash: hash, now: now)
            // Whoever knew the old password may still hold a session: all of them end.
            return try await store.deleteSessions(userID: user.id)
        }
        output.line("Password of \(name) changed; \(revoked) session\(revoked == 1 ? "" : "s") revoked")
    }

    private func list(_ arguments: UserArguments) async throws(UserCommandError) {
        let rows = try await withStore(arguments) { store throws(APIStoreError) in
            var rows: [[String]] = []
            for user in try await store.allUsers() {
                var group = ""
                if let id = user.groupID { group = try await store.userGroup(id: id)?.name ?? "" }
                rows.append([
                    user.name, user.email, user.isAdmin ? "yes" : "no", Self.status(user.status), group,
                    user.totpSecret == nil ? "no" : "yes",
                ])
            }
            return rows
        }
        for line in Self.table(header: ["NAME", "EMAIL", "ADMIN", "STATUS", "GROUP", "2FA"], rows: rows) {
            output.line(line)
        }
    }

    private func totp(_ arguments: UserArguments) async throws(UserCommandError) {
        let name = try Self.validName(arguments)
        let disable = arguments.has("disable")
        let secret: [UInt8]?
        do {
            secret = disable ? nil : try TOTP.generateSecret()
        } catch {
            throw .database("no randomness for a secret")
        }
        let now = clock.now()
        let user = try await withStore(arguments) { store throws(APIStoreError) in
            let user = try await Self.user(named: name, in: store)
            try await store.setTOTPSecret(userID: user.id, secret: secret, now: now)
            return user
        }
        guard let secret else {
            output.line("TOTP removed for \(user.name): password only from now on")
            return
        }
        output.line("TOTP enrolled for \(user.name); add this to an authenticator app (as a QR code or by hand):")
        output.line(TOTP(secret: secret).otpauthURI(account: user.name, issuer: Self.totpIssuer))
        output.line("Secret: \(Base32.encode(secret))")
    }

    // MARK: Helpers

    private static func validName(_ arguments: UserArguments) throws(UserCommandError) -> String {
        guard let raw = arguments.positional.first else { throw .missingName }
        let name = raw.trimmingCharacters(in: .whitespaces)
        guard UserAdministration.isValidName(name) else { throw .invalidName }
        return name
    }

    private func passwordHash(_ arguments: UserArguments) throws(UserCommandError) -> String {
        guard var password = arguments.value("password") else { throw .missingPassword }
        if password == "-" { password = readLine() ?? "" }
        guard !password.isEmpty else { throw .missingPassword }
        do {
            return try hasher.hash(password)
        } catch .passwordTooLong(let maximum) {
            throw .passwordTooLong(maximumBytes: maximum)
        } catch {
            throw .database("cannot hash the password")
        }
    }

    private static func user(named name: String, in store: SQLiteAPIStore) async throws(APIStoreError) -> User {
        guard let user = try await store.user(named: name) else { throw .notFound }
        return user
    }

    /// `UtilsDatabase.withStore`, a missing row being this command's user.
    private func withStore<T>(
        _ arguments: UserArguments, _ body: (SQLiteAPIStore) async throws(APIStoreError) -> T,
        onConflict: () -> UserCommandError = { .database("already exists") }
    ) async throws(UserCommandError) -> T {
        try await UtilsDatabase.withStore(
            path: arguments.value("db"), body, onConflict: onConflict,
            onNotFound: { .unknownUser(arguments.positional.first ?? "") })
    }

    static func status(_ status: UserStatus) -> String {
        switch status {
        case .normal: "normal"
        case .disabled: "disabled"
        case .unverified: "unverified"
        }
    }

    /// Left-aligned columns two spaces apart; trailing spaces trimmed.
    static func table(header: [String], rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            var line = ""
            for (column, cell) in zip(widths.indices, row) {
                line += cell + String(repeating: " ", count: widths[column] - cell.count + 2)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}
