import APICore
import Hummingbird

/// http-api.md §6: the controlled device's audit records (no auth; the body's `id` + `uuid` must
/// match a registered device), the controller's in-session note (no auth, correction 7), and the
/// logged-in controller's guid lookup and end-of-connection note. Every accepted post, a retried
/// one included, answers 200 with an empty body (correction 3: anything else makes the client
/// retry). A refusal (unknown device, malformed record) answers 4xx `{"error": ...}`, which the
/// client treats as final and drops the record; a store failure answers 503, which it retries (the
/// record's nonce is claimed in the failed transaction, so the retry is stored).
struct AuditRoutes {
    let audit: AuditService

    func register(public router: RouterGroup<APIRequestContext>, authenticated: RouterGroup<APIRequestContext>) {
        router.post("audit/conn") { request, _ in try await connection(request) }
        router.post("audit/file") { request, _ in
            let body = try await JSONBody.decode(FileAuditBody.self, from: request, limit: BodyLimit.json)
            return try await answer { () throws(AuditRefusal) in
                _ = try await audit.record(body.audit, uuid: body.uuid, nonce: body.nonce)
            }
        }
        router.post("audit/alarm") { request, _ in
            let body = try await JSONBody.decode(AlarmAuditBody.self, from: request, limit: BodyLimit.json)
            return try await answer { () throws(AuditRefusal) in
                _ = try await audit.record(body.alarm, uuid: body.uuid, nonce: body.nonce)
            }
        }
        authenticated.get("audit/conn/active") { request, _ in try await activeConnection(request) }
        authenticated.put("audit") { request, context in
            let caller = try context.caller()
            let body = try await JSONBody.decode(AuditNoteBody.self, from: request, limit: BodyLimit.json)
            return try await answer { () throws(AuditRefusal) in
                try await audit.annotate(guid: body.guid, note: body.note, by: caller.user.name)
            }
        }
    }

    private func connection(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(ConnectionAuditBody.self, from: request, limit: BodyLimit.json)
        return try await answer { () throws(AuditRefusal) in
            switch body.kind {
            case .record(let event):
                guard let connID = body.connID else { throw .invalid("Missing conn_id") }
                let record = ConnectionRecord(
                    deviceID: body.id, connID: connID, sessionID: body.sessionID, event: event)
                _ = try await audit.record(record, uuid: body.uuid, nonce: body.nonce)
            case .note(let note):
                try await audit.attachSessionNote(deviceID: body.id, sessionID: body.sessionID, note: note)
            case .ignored:
                // Still only for a registered device, so the answer tells nothing to others.
                guard audit.devices.matches(id: body.id, uuidBase64: body.uuid) else { throw .unknownDevice }
            }
        }
    }

    /// `GET /api/audit/conn/active?id=&session_id=&conn_type=`: a JSON string, or `null` while the
    /// device has not reported the connection (the client asks again, six times).
    private func activeConnection(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let sessionText = query["session_id"].map(String.init) ?? ""
        let sessionID = UInt64(sessionText) ?? Int64(sessionText).map { UInt64(bitPattern: $0) } ?? 0
        let connType = query["conn_type"].flatMap { Int64(String($0)) }
        let guid = try await run { () throws(AuditRefusal) in
            try await audit.activeConnectionGUID(
                deviceID: query["id"].map(String.init) ?? "", sessionID: sessionID, connType: connType)
        }
        return APIResponse.json(guid)
    }

    private func answer(_ body: () async throws(AuditRefusal) -> Void) async throws -> Response {
        try await run(body)
        return APIResponse.empty
    }

    private func run<T>(_ body: () async throws(AuditRefusal) -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw Self.failure(error)
        }
    }

    private static func failure(_ refusal: AuditRefusal) -> APIFailure {
        switch refusal {
        case .unknownDevice: APIFailure(.badRequest, "Unknown device")
        case .invalid(let reason): APIFailure(.badRequest, reason)
        case .notFound: APIFailure.notFound
        case .unavailable: APIFailure.unavailable
        }
    }
}
