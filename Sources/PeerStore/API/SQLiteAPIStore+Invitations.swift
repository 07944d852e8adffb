import APICore
import GRDB

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension SQLiteAPIStore: InvitationStore {
    public func insertInvitedUser(_ user: NewUser, invitation: NewInvitation, now: Int64) async throws(APIStoreError)
        -> User
    {
        let guid = Self.newGUID()
        return try await write { db in
            let groupID = try Self.userGroupID(named: user.groupName ?? APIMigrations.defaultName, db, now: now)
            try db.execute(
                sql: """
                    INSERT INTO api_user
                        (guid, name, email, note, password_hash, is_admin, status, group_id, created_at, updated_at)
                    VALUES (?, ?, ?, ?, '', 0, ?, ?, ?, ?)
                    """,
                arguments: [
                    guid, user.name, user.email, user.note, UserStatus.unverified.rawValue, groupID, now, now,
                ])
            let id = db.lastInsertedRowID
            try db.execute(
                sql: """
                    INSERT INTO api_invitation (token_digest, user_id, created_by, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [Data(invitation.tokenDigest), id, invitation.createdBy, now, invitation.expiresAt])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_user WHERE id = ?", arguments: [id]) else {
                throw APIStoreError.notFound
            }
            return try User(row: row)
        }
    }

    public func invitedUser(tokenDigest: [UInt8], now: Int64) async throws(APIStoreError) -> User? {
        try await read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT u.* FROM api_invitation i JOIN api_user u ON u.id = i.user_id
                    WHERE i.token_digest = ? AND i.expires_at > ?
                    """,
                arguments: [Data(tokenDigest), now]
            ).map(User.init(row:))
        }
    }

    public func acceptInvitation(tokenDigest: [UInt8], passwordHash: String, now: Int64) async throws(APIStoreError)
        -> User?
    {
        try await write { db in
            guard
                let userID = try Int64.fetchOne(
                    db, sql: "SELECT user_id FROM api_invitation WHERE token_digest = ? AND expires_at > ?",
                    arguments: [Data(tokenDigest), now])
            else { return nil }
            try db.execute(sql: "DELETE FROM api_invitation WHERE user_id = ?", arguments: [userID])
            try db.execute(
                sql: """
                    UPDATE api_user SET password_hash = ?, updated_at = ?,
                        status = CASE status WHEN ? THEN ? ELSE status END
                    WHERE id = ?
                    """,
                arguments: [passwordHash, now, UserStatus.unverified.rawValue, UserStatus.normal.rawValue, userID])
            return try Row.fetchOne(db, sql: "SELECT * FROM api_user WHERE id = ?", arguments: [userID])
                .map(User.init(row:))
        }
    }

    public func setTOTPRequired(_ required: Bool, setupURL: String, userGUIDs: [String], now: Int64)
        async throws(APIStoreError) -> Int
    {
        guard !userGUIDs.isEmpty else { return 0 }
        let placeholders = Array(repeating: "?", count: userGUIDs.count).joined(separator: ",")
        let arguments =
            StatementArguments([required, required ? setupURL : "", now] as [any DatabaseValueConvertible])
            + StatementArguments(userGUIDs)
        return try await write { db in
            try db.execute(
                sql: """
                    UPDATE api_user SET totp_required = ?, totp_setup_url = ?, updated_at = ?
                    WHERE guid IN (\(placeholders))
                    """,
                arguments: arguments)
            return db.changesCount
        }
    }
}
