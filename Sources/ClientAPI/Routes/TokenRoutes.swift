import APICore
import Hummingbird

/// API tokens through the API (issue 13; Pro mints them in its web console, so these paths are ours):
/// `GET /api/tokens` lists them, `POST /api/tokens` makes one and answers its text once, `DELETE
/// /api/tokens/{guid}` revokes one. Only an administrator's session may: a token cannot mint or
/// revoke tokens, so no token can widen its own permissions.
struct TokenRoutes {
    let tokens: APITokenService

    func register(authenticated router: RouterGroup<APIRequestContext>) {
        router.get("tokens") { _, context in
            _ = try Self.administratorSession(context)
            let all = try await tokens.list()
            return APIResponse.json(PageBody(total: all.count, data: all.map { TokenPayload($0) }))
        }
        router.post("tokens") { request, context in
            let administrator = try Self.administratorSession(context)
            let body = try await JSONBody.decode(TokenCreateBody.self, from: request, limit: BodyLimit.json)
            let permissions: APIPermissions
            switch APIPermissions.parse(body.permissions) {
            case .success(let parsed): permissions = parsed
            case .failure(let error): throw APIFailure(.badRequest, "Invalid permissions: \(error)")
            }
            let (token, text) = try await answering(Self.failure) { () async throws(APITokenService.CreateError) in
                try await tokens.create(
                    name: body.name, permissions: permissions, expiresInDays: body.expiresDays, by: administrator)
            }
            return APIResponse.json(TokenPayload(token, text: text))
        }
        router.delete("tokens/{guid}") { _, context in
            let administrator = try Self.administratorSession(context)
            let guid = try context.parameters.require("guid")
            _ = try await tokens.revoke(guidOrName: guid, by: administrator)
            return APIResponse.empty
        }
    }

    private static func administratorSession(_ context: APIRequestContext) throws -> AdminCaller {
        if context.apiToken != nil { throw APIFailure(.forbidden, "API tokens cannot manage tokens") }
        // Without a token, only an administrator's session passes, and it holds every permission.
        return try context.administrator(.user, .readWrite)
    }

    private static func failure(_ error: APITokenService.CreateError) -> APIFailure {
        switch error {
        case .invalidName:
            APIFailure(.badRequest, "Invalid name: 1 to 64 printable characters, no spaces, commas or quotes")
        case .nameTaken: APIFailure(.conflict, "A token with this name exists")
        case .invalidExpiry: APIFailure(.badRequest, "expires_days must be 1 to \(APITokenService.maxExpiryDays)")
        case .store(let error): APIFailure(error)
        }
    }
}

struct TokenCreateBody: Decodable {
    let name: String
    /// `AREA:LEVEL,…`, as `rustdesk-utils api-token create --permissions` takes it.
    let permissions: String
    let expiresDays: Int?

    enum CodingKeys: String, CodingKey {
        case name, permissions
        case expiresDays = "expires_days"
    }
}

struct TokenPayload: Encodable {
    let guid: String
    let name: String
    let permissions: String
    let createdBy: String
    let createdAt: Int64
    let expiresAt: Int64?
    let lastUsedAt: Int64?
    let revokedAt: Int64?
    /// The token's text: only in the answer that creates it, the one time it is shown.
    let text: String?

    init(_ token: APIToken, text: String? = nil) {
        self.text = text
        guid = token.guid
        name = token.name
        permissions = token.permissions.description
        createdBy = token.createdBy
        createdAt = token.createdAt
        expiresAt = token.expiresAt
        lastUsedAt = token.lastUsedAt
        revokedAt = token.revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case guid, name, permissions
        case text = "token"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
    }

    /// Absent times are `null`, so every item has every key.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(guid, forKey: .guid)
        try container.encode(name, forKey: .name)
        try container.encode(permissions, forKey: .permissions)
        try container.encode(createdBy, forKey: .createdBy)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)
        try container.encode(revokedAt, forKey: .revokedAt)
        try container.encodeIfPresent(text, forKey: .text)
    }
}
