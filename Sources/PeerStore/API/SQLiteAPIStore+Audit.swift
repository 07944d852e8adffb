import APICore
import GRDB

extension SQLiteAPIStore: AuditStore {
    public func applyConnectionRecord(_ record: ConnectionRecord, nonce: String?, now: Int64)
        async throws(APIStoreError) -> Bool
    {
        let guid = Self.newGUID()
        return try await write { db in
            guard try Self.claim(nonce: nonce, device: record.deviceID, db, now: now) else { return false }
            let latest = try Row.fetchOne(
                db,
                sql: "SELECT * FROM api_audit_conn WHERE device_id = ? AND conn_id = ? ORDER BY id DESC LIMIT 1",
                arguments: [record.deviceID, record.connID]
            ).map(ConnectionAudit.init(row:))
            let rowID: Int64
            if let latest, latest.isContinued(by: record, now: now) {
                rowID = latest.id
            } else {
                try db.execute(
                    sql: "INSERT INTO api_audit_conn (guid, device_id, conn_id, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [guid, record.deviceID, record.connID, now])
                rowID = db.lastInsertedRowID
            }
            try Self.apply(record, toRow: rowID, db, now: now)
            return true
        }
    }

    public func insertFileAudit(_ audit: FileAudit, nonce: String?) async throws(APIStoreError) -> Bool {
        try await write { db in
            guard try Self.claim(nonce: nonce, device: audit.deviceID, db, now: audit.createdAt) else { return false }
            try db.execute(
                sql: """
                    INSERT INTO api_audit_file (device_id, peer_id, conn_id, type, path, is_file, info, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    audit.deviceID, audit.peerID, audit.connID, audit.type, audit.path, audit.isFile, audit.info,
                    audit.createdAt,
                ])
            return true
        }
    }

    public func insertAlarmAudit(_ audit: AlarmAudit, nonce: String?) async throws(APIStoreError) -> Bool {
        try await write { db in
            guard try Self.claim(nonce: nonce, device: audit.deviceID, db, now: audit.createdAt) else { return false }
            try db.execute(
                sql: """
                    INSERT INTO api_audit_alarm (device_id, typ, info, conn_id, conn_audit_ref, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [audit.deviceID, audit.typ, audit.info, audit.connID, audit.connAuditRef, audit.createdAt])
            return true
        }
    }

    public func setSessionNote(deviceID: String, sessionID: UInt64, note: String) async throws(APIStoreError) -> Bool {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE api_audit_conn SET note = ?, note_by = ''
                    WHERE id = (SELECT id FROM api_audit_conn WHERE device_id = ? AND session_id = ?
                        ORDER BY id DESC LIMIT 1)
                    """,
                arguments: [note, deviceID, Int64(bitPattern: sessionID)])
            return db.changesCount == 1
        }
    }

    public func connectionGUID(deviceID: String, sessionID: UInt64, connType: Int64?) async throws(APIStoreError)
        -> String?
    {
        try await read { db in
            if let connType {
                return try String.fetchOne(
                    db,
                    sql: """
                        SELECT guid FROM api_audit_conn WHERE device_id = ? AND session_id = ? AND conn_type = ?
                        ORDER BY id DESC LIMIT 1
                        """,
                    arguments: [deviceID, Int64(bitPattern: sessionID), connType])
            }
            return try String.fetchOne(
                db,
                sql: "SELECT guid FROM api_audit_conn WHERE device_id = ? AND session_id = ? ORDER BY id DESC LIMIT 1",
                arguments: [deviceID, Int64(bitPattern: sessionID)])
        }
    }

    public func setConnectionNote(guid: String, note: String, by userName: String) async throws(APIStoreError) -> Bool {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_audit_conn SET note = ?, note_by = ? WHERE guid = ?",
                arguments: [note, userName, guid])
            return db.changesCount == 1
        }
    }

    public func connectionAudits(deviceID: String, limit: Int) async throws(APIStoreError) -> [ConnectionAudit] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM api_audit_conn WHERE device_id = ? ORDER BY id DESC LIMIT ?",
                arguments: [deviceID, Self.clamped(limit)]
            ).map(ConnectionAudit.init(row:))
        }
    }

    public func fileAudits(deviceID: String, limit: Int) async throws(APIStoreError) -> [FileAudit] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM api_audit_file WHERE device_id = ? ORDER BY id DESC LIMIT ?",
                arguments: [deviceID, Self.clamped(limit)]
            ).map(FileAudit.init(row:))
        }
    }

    public func alarmAudits(deviceID: String, limit: Int) async throws(APIStoreError) -> [AlarmAudit] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM api_audit_alarm WHERE device_id = ? ORDER BY id DESC LIMIT ?",
                arguments: [deviceID, Self.clamped(limit)]
            ).map(AlarmAudit.init(row:))
        }
    }

    @discardableResult
    public func deleteAuditNonces(before time: Int64) async throws(APIStoreError) -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM api_audit_nonce WHERE created_at < ?", arguments: [time])
            return db.changesCount
        }
    }

    /// Claims `nonce` for `device` in the record's own transaction; false when it was claimed before.
    private static func claim(nonce: String?, device: String, _ db: Database, now: Int64) throws -> Bool {
        guard let nonce else { return true }
        try db.execute(
            sql: "INSERT INTO api_audit_nonce (device_id, nonce, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            arguments: [device, nonce, now])
        return db.changesCount == 1
    }

    /// Writes what `record` says into row `id`; a known session id is kept, a new one filled in.
    private static func apply(_ record: ConnectionRecord, toRow id: Int64, _ db: Database, now: Int64) throws {
        let session = Int64(bitPattern: record.sessionID)
        switch record.event {
        case .opened(let ip, let ref):
            try db.execute(
                sql: "UPDATE api_audit_conn SET ip = ?, conn_audit_ref = ?, opened_at = ? WHERE id = ?",
                arguments: [ip, ref, now, id])
        case .authorized(let login):
            try db.execute(
                sql: """
                    UPDATE api_audit_conn SET peer_id = ?, peer_name = ?, conn_type = ?, primary_auth = ?,
                        two_factor = ?, authorized_at = ?, session_id = CASE WHEN ? <> 0 THEN ? ELSE session_id END
                    WHERE id = ?
                    """,
                arguments: [
                    login.peerID, login.peerName, login.connType, login.primaryAuth, login.twoFactor, now, session,
                    session, id,
                ])
        case .closed:
            try db.execute(
                sql: """
                    UPDATE api_audit_conn SET closed_at = ?, session_id = CASE WHEN ? <> 0 THEN ? ELSE session_id END
                    WHERE id = ?
                    """,
                arguments: [now, session, session, id])
        }
    }

    private static func clamped(_ limit: Int) -> Int { min(max(limit, 1), 1000) }
}

extension ConnectionAudit {
    init(row: Row) {
        self.init(
            id: row["id"], guid: row["guid"], deviceID: row["device_id"], connID: row["conn_id"],
            sessionID: UInt64(bitPattern: row["session_id"] as Int64), ip: row["ip"],
            connAuditRef: row["conn_audit_ref"], peerID: row["peer_id"], peerName: row["peer_name"],
            connType: row["conn_type"], primaryAuth: row["primary_auth"], twoFactor: row["two_factor"],
            note: row["note"], noteBy: row["note_by"], createdAt: row["created_at"], openedAt: row["opened_at"],
            authorizedAt: row["authorized_at"], closedAt: row["closed_at"])
    }
}

extension FileAudit {
    init(row: Row) {
        self.init(
            deviceID: row["device_id"], peerID: row["peer_id"], connID: row["conn_id"], type: row["type"],
            path: row["path"], isFile: row["is_file"], info: row["info"], createdAt: row["created_at"])
    }
}

extension AlarmAudit {
    init(row: Row) {
        self.init(
            deviceID: row["device_id"], typ: row["typ"], info: row["info"], connID: row["conn_id"],
            connAuditRef: row["conn_audit_ref"], createdAt: row["created_at"])
    }
}
