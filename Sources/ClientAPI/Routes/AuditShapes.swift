import APICore

/// `POST /api/audit/conn`'s body in every form the client sends (http-api.md §6.1): the device's
/// `new`, `authorized` (no `action`, with `peer`) and `close` records, the controller's note
/// (`id`, `session_id`, `note`; no uuid), and the per-connection keep-alive of clients before 1.2
/// (only `id`, `uuid`, `conn_id`). Every key is optional and leniently typed.
struct ConnectionAuditBody: Decodable {
    enum Kind: Equatable {
        case record(ConnectionEvent)
        case note(String)
        /// Nothing to store: old clients' keep-alive, or an `action` this server does not know.
        case ignored
    }

    let id: String
    let uuid: String
    let connID: Int64?
    let sessionID: UInt64
    let nonce: String?
    let kind: Kind

    enum CodingKeys: String, CodingKey {
        case id, uuid, action, ip, peer, type, nonce, note
        case connID = "conn_id"
        case sessionID = "session_id"
        case connAuditRef = "conn_audit_ref"
        case primaryAuth = "primary_auth"
        case twoFactor = "two_factor"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = container.lenientString(.id)
        uuid = container.lenientString(.uuid)
        connID = container.lenientInt64(.connID)
        sessionID = container.lenientUInt64(.sessionID) ?? 0
        nonce = try? container.decodeIfPresent(String.self, forKey: .nonce)
        let action = try? container.decodeIfPresent(String.self, forKey: .action)
        let note = try? container.decodeIfPresent(String.self, forKey: .note)
        switch action {
        case "new"?:
            kind = .record(
                .opened(ip: container.lenientString(.ip), connAuditRef: container.lenientString(.connAuditRef)))
        case "close"?:
            kind = .record(.closed)
        case nil:
            if let peer = Self.peer(in: container) {
                kind = .record(
                    .authorized(
                        ConnectionLogin(
                            peerID: peer.id, peerName: peer.name, connType: container.lenientInt64(.type) ?? 0,
                            primaryAuth: container.lenientInt64(.primaryAuth),
                            twoFactor: container.lenientInt64(.twoFactor))))
            } else if let note {
                kind = .note(note)
            } else {
                kind = .ignored
            }
        default:
            kind = .ignored
        }
    }

    /// `peer: [controller_id, controller_name]`, when present as an array.
    private static func peer(in container: KeyedDecodingContainer<CodingKeys>) -> (id: String, name: String)? {
        guard let values = try? container.decodeIfPresent([LenientText].self, forKey: .peer) else { return nil }
        return (values.first?.text ?? "", values.dropFirst().first?.text ?? "")
    }
}

/// `POST /api/audit/file` (http-api.md §6.2).
struct FileAuditBody: Decodable {
    let audit: FileAudit
    let uuid: String
    let nonce: String?

    enum CodingKeys: String, CodingKey {
        case id, uuid, type, path, info, nonce
        case peerID = "peer_id"
        case connID = "conn_id"
        case isFile = "is_file"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        audit = FileAudit(
            deviceID: container.lenientString(.id), peerID: container.lenientString(.peerID),
            connID: container.lenientInt64(.connID) ?? 0, type: container.lenientInt64(.type) ?? 0,
            path: container.lenientString(.path), isFile: container.lenientBool(.isFile),
            info: container.lenientString(.info))
        uuid = container.lenientString(.uuid)
        nonce = try? container.decodeIfPresent(String.self, forKey: .nonce)
    }
}

/// `POST /api/audit/alarm` (http-api.md §6.3); `from_remote` of old clients is ignored.
struct AlarmAuditBody: Decodable {
    let alarm: AlarmAudit
    let uuid: String
    let nonce: String?

    enum CodingKeys: String, CodingKey {
        case id, uuid, typ, info, nonce
        case connID = "conn_id"
        case connAuditRef = "conn_audit_ref"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        alarm = AlarmAudit(
            deviceID: container.lenientString(.id), typ: container.lenientInt64(.typ) ?? 0,
            info: container.lenientString(.info), connID: container.lenientInt64(.connID) ?? 0,
            connAuditRef: container.lenientString(.connAuditRef))
        uuid = container.lenientString(.uuid)
        nonce = try? container.decodeIfPresent(String.self, forKey: .nonce)
    }
}

/// `PUT /api/audit` (http-api.md §6.4): `{"guid", "note"}`.
struct AuditNoteBody: Decodable {
    let guid: String
    let note: String

    enum CodingKeys: String, CodingKey {
        case guid, note
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guid = container.lenientString(.guid)
        note = container.lenientString(.note)
    }
}

/// One array element read as text whatever its JSON type (a number as its digits, anything else
/// as ""), so decoding an array never fails on one odd element.
struct LenientText: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(String.self) {
            text = value
        } else if let value = try? container.decode(Int64.self) {
            text = String(value)
        } else {
            text = ""
        }
    }
}
