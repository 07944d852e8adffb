import APICore
import Logging
import PeerStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `rustdesk-utils api-token create|list|revoke` (issue 13): API tokens in hbbs's database, also while
/// hbbs runs; hbbs checks tokens against the database on every request, so a new one works at once and
/// a revoked one stops at once. `create` prints the token's text alone on standard output (so
/// `TOKEN=$(rustdesk-utils api-token create …)` works); it is not stored and never shown again.
struct APITokenCommand {
    static let subcommands: Set<String> = ["create", "list", "revoke"]
    static let help = [
        "Usage:",
        "    rustdesk-utils api-token create --name NAME --permissions LIST [--expires DAYS] [--db PATH]",
        "    rustdesk-utils api-token list [--db PATH]",
        "    rustdesk-utils api-token revoke NAME|GUID [--db PATH]",
        "",
        "LIST is comma-separated AREA:LEVEL, AREA one of device, device_group, user, user_group, strategy,",
        "address_book, audit, and LEVEL r (read) or rw (read and write); e.g. user:rw,device:r.",
        "create prints the token alone; it is shown only once. Tokens work on hbbs's API port at once.",
    ]

    let output: UtilsOutput
    let clock: APIClock

    func run(_ words: [String]) async -> Int32 {
        guard let subcommand = words.first?.lowercased(), Self.subcommands.contains(subcommand) else {
            return printHelp()
        }
        let arguments: UserArguments
        switch UserArguments.parse(
            Array(words.dropFirst()), valueOptions: ["name", "permissions", "expires", "db"], flags: [])
        {
        case .success(let parsed): arguments = parsed
        case .failure(let error): return fail(error)
        }
        do throws(UserCommandError) {
            switch subcommand {
            case "create": try await create(arguments)
            case "list": try await list(arguments)
            default: try await revoke(arguments)
            }
            return 0
        } catch {
            return fail(error)
        }
    }

    private func create(_ arguments: UserArguments) async throws(UserCommandError) {
        guard let name = arguments.value("name") else { throw .missingTokenName }
        let permissions: APIPermissions
        switch APIPermissions.parse(arguments.value("permissions") ?? "") {
        case .success(let parsed): permissions = parsed
        case .failure(let error): throw .invalidPermissions(error.description)
        }
        var days: Int?
        if let text = arguments.value("expires") {
            guard let value = Int(text) else { throw .invalidExpiry }
            days = value
        }
        let created = try await withService(arguments) { service throws(APITokenService.CreateError) in
            try await service.create(name: name, permissions: permissions, expiresInDays: days, by: .localTool)
        }
        output.line(created.text)
    }

    private func list(_ arguments: UserArguments) async throws(UserCommandError) {
        let tokens = try await withStore(arguments) { store throws(APIStoreError) in try await store.allTokens() }
        let now = clock.now()
        let rows = tokens.map { token in
            [
                token.name, token.guid, token.permissions.description, Self.state(token, now: now),
                token.expiresAt.map(Self.date) ?? "never", token.lastUsedAt.map(Self.date) ?? "never",
            ]
        }
        let header = ["NAME", "GUID", "PERMISSIONS", "STATE", "EXPIRES", "LAST USED"]
        for line in UserCommand.table(header: header, rows: rows) { output.line(line) }
    }

    private func revoke(_ arguments: UserArguments) async throws(UserCommandError) {
        guard let key = arguments.positional.first else { throw .missingTokenName }
        let token = try await withStore(arguments) { store throws(APIStoreError) in
            try await Self.service(store, clock: clock).revoke(guidOrName: key, by: .localTool)
        }
        output.line("Revoked token \(token.name)")
    }

    // MARK: Helpers

    private func withStore<T>(
        _ arguments: UserArguments, _ body: (SQLiteAPIStore) async throws(APIStoreError) -> T
    ) async throws(UserCommandError) -> T {
        try await UtilsDatabase.withStore(
            path: arguments.value("db"), body, onConflict: { .database("already exists") },
            onNotFound: { .unknownToken(arguments.positional.first ?? "") })
    }

    private func withService<T>(
        _ arguments: UserArguments, _ body: (APITokenService) async throws(APITokenService.CreateError) -> T
    ) async throws(UserCommandError) -> T {
        var failure: APITokenService.CreateError?
        let value: T? = try await withStore(arguments) { store throws(APIStoreError) in
            do throws(APITokenService.CreateError) {
                return try await body(Self.service(store, clock: clock))
            } catch {
                failure = error
                return nil
            }
        }
        if let value { return value }
        switch failure {
        case .invalidName: throw .invalidTokenName
        case .nameTaken: throw .duplicateToken(name: arguments.value("name") ?? "")
        case .invalidExpiry: throw .invalidExpiry
        case .store(let error): throw .database(error.description)
        case nil: throw .database("no answer")
        }
    }

    /// The service as hbbs runs it, its log quiet (the tool prints its own lines); changes are audited
    /// as the local tool's.
    private static func service(_ store: SQLiteAPIStore, clock: APIClock) -> APITokenService {
        var logger = Logger(label: "rustdesk-utils")
        logger.logLevel = .critical
        return APITokenService(
            store: store, audit: ConsoleAuditLog(store: store, clock: clock, logger: logger), clock: clock,
            logger: logger)
    }

    private func fail(_ error: UserCommandError) -> Int32 {
        output.line("ERROR: \(error.message)")
        guard error.showsHelp else { return 1 }
        output.line()
        return printHelp()
    }

    private func printHelp() -> Int32 {
        for line in Self.help { output.line(line) }
        return 1
    }

    private static func state(_ token: APIToken, now: Int64) -> String {
        if token.revokedAt != nil { return "revoked" }
        return token.isUsable(at: now) ? "active" : "expired"
    }

    /// ISO 8601 in UTC (`2026-12-04T12:00:00Z`).
    static func date(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }
}
