import Logging
import RustDeskCore

/// Makes, checks, lists and revokes API tokens. hbbs checks a token against the database on every
/// request, so one made or revoked by `rustdesk-utils api-token` (another process, same file) counts
/// at once. The last-use time is written at most once a minute per token.
public struct APITokenService: Sendable {
    public enum CreateError: Error, Sendable, Equatable {
        case invalidName
        case nameTaken
        case invalidExpiry
        case store(APIStoreError)
    }

    public static let maxNameLength = 64
    public static let maxExpiryDays = 3650
    public static let touchIntervalSeconds: Int64 = 60

    public let store: any APITokenStore
    public let clock: APIClock
    private let audit: ConsoleAuditLog
    private let logger: Logger

    public init(store: any APITokenStore, audit: ConsoleAuditLog, clock: APIClock = .system, logger: Logger) {
        self.store = store
        self.audit = audit
        self.clock = clock
        self.logger = logger
    }

    /// A new token and its text (shown once). `expiresInDays` nil: never expires.
    public func create(name: String, permissions: APIPermissions, expiresInDays: Int?, by caller: AdminCaller)
        async throws(CreateError) -> (token: APIToken, text: String)
    {
        guard Self.isValidName(name) else { throw .invalidName }
        if let days = expiresInDays, !(1...Self.maxExpiryDays).contains(days) { throw .invalidExpiry }
        let text: String
        do {
            text = try APITokenText.generate()
        } catch {
            throw .store(.unavailable(reason: "no randomness"))
        }
        let now = clock.now()
        let new = NewAPIToken(
            name: name, tokenDigest: Sodium.sha256(Array(text.utf8)), permissions: permissions,
            expiresAt: expiresInDays.map { now + Int64($0) * 86_400 }, createdBy: caller.operatorName)
        do throws(APIStoreError) {
            let token = try await store.insertToken(new, now: now)
            logger.notice(
                "API token created", metadata: ["token": "\(name)", "permissions": "\(permissions)", "by": "\(caller)"])
            await audit.record(
                .createAPIToken, by: caller,
                ["token": name, "guid": token.guid, "permissions": permissions.description])
            return (token, text)
        } catch .conflict {
            throw .nameTaken
        } catch {
            throw .store(error)
        }
    }

    /// The usable token with this text, or nil (unknown, revoked, expired, not a token's shape).
    public func authenticate(text: String) async throws(APIStoreError) -> APIToken? {
        guard APITokenText.looksLikeToken(text), let digest = SessionToken.digest(of: text) else { return nil }
        guard let token = try await store.token(digest: digest) else { return nil }
        let now = clock.now()
        guard token.isUsable(at: now) else { return nil }
        if now - (token.lastUsedAt ?? 0) >= Self.touchIntervalSeconds {
            try await store.touchToken(id: token.id, lastUsedAt: now)
        }
        return token
    }

    public func list() async throws(APIStoreError) -> [APIToken] {
        try await store.allTokens()
    }

    public func revoke(guidOrName: String, by caller: AdminCaller) async throws(APIStoreError) -> APIToken {
        let token = try await store.revokeToken(guidOrName: guidOrName, now: clock.now())
        logger.notice("API token revoked", metadata: ["token": "\(token.name)", "by": "\(caller)"])
        await audit.record(.revokeAPIToken, by: caller, ["token": token.name, "guid": token.guid])
        return token
    }

    /// Printable ASCII without commas or quotes, 1…64 characters, so lists and logs stay unambiguous.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return (1...maxNameLength).contains(bytes.count)
            && bytes.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "\"") }
    }
}
