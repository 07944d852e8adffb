import APICore
import GRDB

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension SQLiteAPIStore: AccountStore {
    public func user(named nameOrEmail: String) async throws(APIStoreError) -> User? {
        let key = nameOrEmail.trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { return nil }
        return try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM api_user WHERE name = ? OR (email <> '' AND email = ?) ORDER BY name = ? DESC",
                arguments: [key, key, key]
            ).map(User.init(row:))
        }
    }

    public func user(id: User.ID) async throws(APIStoreError) -> User? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_user WHERE id = ?", arguments: [id]).map(User.init(row:))
        }
    }

    public func allUsers() async throws(APIStoreError) -> [User] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_user ORDER BY name").map(User.init(row:))
        }
    }

    public func userGroup(id: UserGroup.ID) async throws(APIStoreError) -> UserGroup? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_user_group WHERE id = ?", arguments: [id])
                .map(UserGroup.init(row:))
        }
    }

    public func hasAdministrator() async throws(APIStoreError) -> Bool {
        try await read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM api_user WHERE is_admin = 1 AND status = 1)")
                ?? false
        }
    }

    public func insertUser(_ user: NewUser, now: Int64) async throws(APIStoreError) -> User {
        let guid = Self.newGUID()
        return try await write { db in
            let groupID = try Self.userGroupID(named: user.groupName ?? APIMigrations.defaultName, db, now: now)
            try db.execute(
                sql: """
                    INSERT INTO api_user
                        (guid, name, email, note, password_hash, is_admin, group_id, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [guid, user.name, user.email, user.note, user.passwordHash, user.isAdmin, groupID, now, now])
            let id = db.lastInsertedRowID
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_user WHERE id = ?", arguments: [id]) else {
                throw APIStoreError.notFound
            }
            return try User(row: row)
        }
    }

    public func setPassword(userID: User.ID, hash: String, now: Int64) async throws(APIStoreError) {
        try await updateUser(userID, sql: "password_hash = ?, updated_at = ?", [hash, now])
    }

    public func setTOTPSecret(userID: User.ID, secret: [UInt8]?, now: Int64) async throws(APIStoreError) {
        try await updateUser(
            userID, sql: "totp_secret = ?, totp_last_step = 0, updated_at = ?", [secret.map { Data($0) }, now])
    }

    public func claimTOTPStep(userID: User.ID, step: Int64) async throws(APIStoreError) -> Bool {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_user SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?",
                arguments: [step, userID, step])
            return db.changesCount == 1
        }
    }

    public func insertSession(_ session: Session) async throws(APIStoreError) {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO api_session (token_digest, user_id, created_at, last_used_at, expires_at, device_id,
                        device_uuid, device_os, device_type, device_name, ip)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    Data(session.tokenDigest), session.userID, session.createdAt, session.lastUsedAt,
                    session.expiresAt, session.deviceID, session.deviceUUID, session.deviceInfo.os,
                    session.deviceInfo.type, session.deviceInfo.name, session.ip,
                ])
        }
    }

    public func session(tokenDigest: [UInt8]) async throws(APIStoreError) -> (Session, User)? {
        try await read { db in
            guard
                let sessionRow = try Row.fetchOne(
                    db, sql: "SELECT * FROM api_session WHERE token_digest = ?", arguments: [Data(tokenDigest)]),
                let userRow = try Row.fetchOne(
                    db, sql: "SELECT * FROM api_user WHERE id = ?", arguments: [sessionRow["user_id"] as Int64])
            else { return nil }
            return (try Session(row: sessionRow), try User(row: userRow))
        }
    }

    public func touchSession(tokenDigest: [UInt8], lastUsedAt: Int64, expiresAt: Int64) async throws(APIStoreError) {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_session SET last_used_at = ?, expires_at = ? WHERE token_digest = ?",
                arguments: [lastUsedAt, expiresAt, Data(tokenDigest)])
        }
    }

    public func deleteSession(tokenDigest: [UInt8]) async throws(APIStoreError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM api_session WHERE token_digest = ?", arguments: [Data(tokenDigest)])
        }
    }

    @discardableResult
    public func deleteSessions(userID: User.ID) async throws(APIStoreError) -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM api_session WHERE user_id = ?", arguments: [userID])
            return db.changesCount
        }
    }

    @discardableResult
    public func deleteExpiredSessions(now: Int64) async throws(APIStoreError) -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM api_session WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }

    private func updateUser(_ id: User.ID, sql: String, _ values: [(any DatabaseValueConvertible)?])
        async throws(APIStoreError)
    {
        let arguments = StatementArguments(values + [id])
        try await write { db in
            try db.execute(sql: "UPDATE api_user SET \(sql) WHERE id = ?", arguments: arguments)
            if db.changesCount == 0 { throw APIStoreError.notFound }
        }
    }

    /// The id of the user group `name`, created if missing.
    static func userGroupID(named name: String, _ db: Database, now: Int64) throws -> UserGroup.ID {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM api_user_group WHERE name = ?", arguments: [name]) {
            return id
        }
        try db.execute(
            sql: "INSERT INTO api_user_group (guid, name, created_at) VALUES (?, ?, ?)",
            arguments: [newGUID(), name, now])
        return db.lastInsertedRowID
    }
}

extension User {
    init(row: Row) throws {
        let secret: Data? = row["totp_secret"]
        self.init(
            id: row["id"], guid: row["guid"], name: row["name"], email: row["email"],
            displayName: row["display_name"], note: row["note"], passwordHash: row["password_hash"],
            isAdmin: row["is_admin"], status: UserStatus(rawValue: row["status"]) ?? .disabled,
            groupID: row["group_id"], totpSecret: secret.map { [UInt8]($0) }, totpLastStep: row["totp_last_step"],
            totpRequired: row["totp_required"], totpSetupURL: row["totp_setup_url"], createdAt: row["created_at"])
    }
}

extension UserGroup {
    init(row: Row) throws {
        self.init(id: row["id"], guid: row["guid"], name: row["name"], note: row["note"])
    }
}

extension Session {
    init(row: Row) throws {
        let digest: Data = row["token_digest"]
        self.init(
            tokenDigest: [UInt8](digest), userID: row["user_id"], createdAt: row["created_at"],
            lastUsedAt: row["last_used_at"], expiresAt: row["expires_at"], deviceID: row["device_id"],
            deviceUUID: row["device_uuid"],
            deviceInfo: LoginDeviceInfo(os: row["device_os"], type: row["device_type"], name: row["device_name"]),
            ip: row["ip"])
    }
}
