import APICore

/// A console record as audits.py reads it: `typ`, `iop` and `created_at` (Unix seconds), with who,
/// from where and what.
struct ConsoleRecordPayload: Encodable {
    let guid: String
    let typ: Int
    let iop: Int
    let `operator`: String
    let operatorKind: String
    let credential: String
    let ip: String
    let info: String
    let createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case guid, typ, iop, `operator`, credential, ip, info
        case operatorKind = "operator_kind"
        case createdAt = "created_at"
    }

    init(_ record: ConsoleRecord) {
        guid = record.guid
        typ = record.typ
        iop = record.iop
        `operator` = record.operatorName
        operatorKind = record.operatorKind
        credential = record.credential
        ip = record.ip
        info = record.info
        createdAt = record.createdAt
    }
}

/// A connection as audits.py reads it: `created_at` and `end_time` in Unix seconds (`end_time` null
/// while open), and `conn_type` only once the session was authorized (audits.py shows "Not Logged
/// In" when the key is absent).
struct ConnectionAuditPayload: Encodable {
    let audit: ConnectionAudit

    init(_ audit: ConnectionAudit) { self.audit = audit }

    enum CodingKeys: String, CodingKey {
        case guid, remote, ip, note
        case deviceID = "device_id"
        case remoteName = "remote_name"
        case connID = "conn_id"
        case sessionID = "session_id"
        case connType = "conn_type"
        case primaryAuth = "primary_auth"
        case twoFactor = "two_factor"
        case noteBy = "note_by"
        case createdAt = "created_at"
        case endTime = "end_time"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(audit.guid, forKey: .guid)
        try container.encode(audit.deviceID, forKey: .deviceID)
        try container.encode(audit.peerID, forKey: .remote)
        try container.encode(audit.peerName, forKey: .remoteName)
        try container.encode(audit.ip, forKey: .ip)
        try container.encode(audit.connID, forKey: .connID)
        try container.encode(audit.sessionID, forKey: .sessionID)
        try container.encodeIfPresent(audit.connType, forKey: .connType)
        try container.encodeIfPresent(audit.primaryAuth, forKey: .primaryAuth)
        try container.encodeIfPresent(audit.twoFactor, forKey: .twoFactor)
        try container.encode(audit.note, forKey: .note)
        try container.encode(audit.noteBy, forKey: .noteBy)
        try container.encode(audit.createdAt, forKey: .createdAt)
        try container.encode(audit.closedAt, forKey: .endTime)
    }
}

struct FileAuditPayload: Encodable {
    let deviceID: String
    let remote: String
    let connID: Int64
    let type: Int64
    let path: String
    let isFile: Bool
    let info: String
    let createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case remote, type, path, info
        case deviceID = "device_id"
        case connID = "conn_id"
        case isFile = "is_file"
        case createdAt = "created_at"
    }

    init(_ audit: FileAudit) {
        deviceID = audit.deviceID
        remote = audit.peerID
        connID = audit.connID
        type = audit.type
        path = audit.path
        isFile = audit.isFile
        info = audit.info
        createdAt = audit.createdAt
    }
}

struct AlarmAuditPayload: Encodable {
    let deviceID: String
    let typ: Int64
    let info: String
    let connID: Int64
    let createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case typ, info
        case deviceID = "device_id"
        case connID = "conn_id"
        case createdAt = "created_at"
    }

    init(_ audit: AlarmAudit) {
        deviceID = audit.deviceID
        typ = audit.typ
        info = audit.info
        connID = audit.connID
        createdAt = audit.createdAt
    }
}
