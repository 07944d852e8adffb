import APICore
import GRDB

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension SQLiteAPIStore: APITokenStore {
    public func insertToken(_ token: NewAPIToken, now: Int64) async throws(APIStoreError) -> APIToken {
        let guid = Self.newGUID()
        return try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO api_token (guid, name, token_digest, permissions, created_by, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    guid, token.name, Data(token.tokenDigest), token.permissions.description, token.createdBy, now,
                    token.expiresAt,
                ])
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM api_token WHERE id = ?", arguments: [db.lastInsertedRowID])
            else { throw APIStoreError.notFound }
            return try APIToken(row: row)
        }
    }

    public func token(digest: [UInt8]) async throws(APIStoreError) -> APIToken? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_token WHERE token_digest = ?", arguments: [Data(digest)])
                .map(APIToken.init(row:))
        }
    }

    public func allTokens() async throws(APIStoreError) -> [APIToken] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_token ORDER BY id DESC").map(APIToken.init(row:))
        }
    }

    public func revokeToken(guidOrName: String, now: Int64) async throws(APIStoreError) -> APIToken {
        try await write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM api_token WHERE guid = ? OR name = ?", arguments: [guidOrName, guidOrName])
            else { throw APIStoreError.notFound }
            var token = try APIToken(row: row)
            if token.revokedAt == nil {
                try db.execute(sql: "UPDATE api_token SET revoked_at = ? WHERE id = ?", arguments: [now, token.id])
                token.revokedAt = now
            }
            return token
        }
    }

    public func touchToken(id: APIToken.ID, lastUsedAt: Int64) async throws(APIStoreError) {
        try await write { db in
            try db.execute(sql: "UPDATE api_token SET last_used_at = ? WHERE id = ?", arguments: [lastUsedAt, id])
        }
    }
}

extension APIToken {
    init(row: Row) throws {
        let digest: Data = row["token_digest"]
        let text: String = row["permissions"]
        // Written by `insertToken` from a parsed value; a hand-edited row that no longer parses grants nothing.
        let permissions = (try? APIPermissions.parse(text).get()) ?? APIPermissions()
        self.init(
            id: row["id"], guid: row["guid"], name: row["name"], tokenDigest: [UInt8](digest), permissions: permissions,
            createdAt: row["created_at"], expiresAt: row["expires_at"], lastUsedAt: row["last_used_at"],
            revokedAt: row["revoked_at"], createdBy: row["created_by"])
    }
}
