import Logging

/// The audit log (http-api.md §6): records posted by controlled devices, notes from controllers.
/// Device records are taken only when `id` + `uuid` match a device registered with hbbs (the client
/// protocol has no other credential); a mismatch is refused, and the client drops the record (a 4xx
/// is final to it). Retries are recognised by their `nonce`. Used by the client API's audit routes.
public struct AuditService: Sendable {
    public let store: any AuditStore
    public let devices: any RegisteredDevices
    public let clock: APIClock
    public let pruning: NoncePruning
    private let logger: Logger

    public init(
        store: any AuditStore, devices: any RegisteredDevices, clock: APIClock = .system,
        pruning: NoncePruning = NoncePruning(), logger: Logger
    ) {
        self.store = store
        self.devices = devices
        self.clock = clock
        self.pruning = pruning
        self.logger = logger
    }

    // MARK: Device records

    /// `POST /api/audit/conn` with `action` `new` or `close`, or the `authorized` record.
    public func record(_ record: ConnectionRecord, uuid: String, nonce: String?) async throws(AuditRefusal)
        -> AuditWrite
    {
        let nonce = try checked(deviceID: record.deviceID, uuid: uuid, nonce: nonce)
        var record = record
        switch record.event {
        case .opened(let ip, let ref):
            record.event = .opened(
                ip: ip.truncated(toUTF8: AuditLimits.text), connAuditRef: ref.truncated(toUTF8: AuditLimits.text))
        case .authorized(var login):
            login.peerID = login.peerID.truncated(toUTF8: AuditLimits.text)
            login.peerName = login.peerName.truncated(toUTF8: AuditLimits.text)
            record.event = .authorized(login)
        case .closed:
            break
        }
        let now = clock.now()
        return try await write(device: record.deviceID, now: now) { [record] store throws(APIStoreError) in
            try await store.applyConnectionRecord(record, nonce: nonce, now: now)
        }
    }

    /// `POST /api/audit/file`.
    public func record(_ audit: FileAudit, uuid: String, nonce: String?) async throws(AuditRefusal) -> AuditWrite {
        let nonce = try checked(deviceID: audit.deviceID, uuid: uuid, nonce: nonce)
        guard audit.info.utf8.count <= AuditLimits.info else { throw .invalid("Info too long") }
        var audit = audit
        audit.peerID = audit.peerID.truncated(toUTF8: AuditLimits.text)
        audit.path = audit.path.truncated(toUTF8: AuditLimits.path)
        let now = clock.now()
        audit.createdAt = now
        return try await write(device: audit.deviceID, now: now) { [audit] store throws(APIStoreError) in
            try await store.insertFileAudit(audit, nonce: nonce)
        }
    }

    /// `POST /api/audit/alarm`.
    public func record(_ alarm: AlarmAudit, uuid: String, nonce: String?) async throws(AuditRefusal) -> AuditWrite {
        let nonce = try checked(deviceID: alarm.deviceID, uuid: uuid, nonce: nonce)
        guard alarm.info.utf8.count <= AuditLimits.info else { throw .invalid("Info too long") }
        var alarm = alarm
        alarm.connAuditRef = alarm.connAuditRef.truncated(toUTF8: AuditLimits.text)
        let now = clock.now()
        alarm.createdAt = now
        return try await write(device: alarm.deviceID, now: now) { [alarm] store throws(APIStoreError) in
            try await store.insertAlarmAudit(alarm, nonce: nonce)
        }
    }

    // MARK: Notes

    /// The controller's note during a session (`{"id", "session_id", "note"}` on `/api/audit/conn`),
    /// sent without Authorization or uuid (correction 7). It is attached only to a connection of
    /// `deviceID` in session `sessionID`: the random 64-bit session id, known to both ends of that
    /// connection alone, is what stands in for a credential.
    public func attachSessionNote(deviceID: String, sessionID: UInt64, note: String) async throws(AuditRefusal) {
        guard !deviceID.isEmpty else { throw .invalid("Missing id") }
        guard sessionID != 0 else { throw .invalid("Missing session_id") }
        let note = note.truncated(toUTF8: AuditLimits.note)
        let found: Bool
        do {
            found = try await store.setSessionNote(deviceID: deviceID, sessionID: sessionID, note: note)
        } catch {
            throw unavailable(error, device: deviceID)
        }
        guard found else { throw .notFound }
    }

    /// `GET /api/audit/conn/active`: the guid of the connection a logged-in controller is in, or nil
    /// while the device has not reported it yet. Any logged-in user who knows the device ID and the
    /// session's random id may learn it (the controller side has no other proof of being in the
    /// session; hbbs does not attribute sessions to users yet).
    public func activeConnectionGUID(deviceID: String, sessionID: UInt64, connType: Int64?) async throws(AuditRefusal)
        -> String?
    {
        guard !deviceID.isEmpty, deviceID.utf8.count <= AuditLimits.text, sessionID != 0 else { return nil }
        do {
            return try await store.connectionGUID(deviceID: deviceID, sessionID: sessionID, connType: connType)
        } catch {
            throw unavailable(error, device: deviceID)
        }
    }

    /// `PUT /api/audit`: the end-of-connection note, written by the logged-in `userName`. The guid is
    /// a random value only handed out by `activeConnectionGUID`.
    public func annotate(guid: String, note: String, by userName: String) async throws(AuditRefusal) {
        guard !guid.isEmpty else { throw .invalid("Missing guid") }
        guard guid.utf8.count <= AuditLimits.text else { throw .notFound }
        let note = note.truncated(toUTF8: AuditLimits.note)
        let found: Bool
        do {
            found = try await store.setConnectionNote(guid: guid, note: note, by: userName)
        } catch {
            throw unavailable(error, device: "")
        }
        guard found else { throw .notFound }
    }

    // MARK: Helpers

    /// Checks the device and the nonce; returns the nonce to claim (nil: none sent).
    private func checked(deviceID: String, uuid: String, nonce: String?) throws(AuditRefusal) -> String? {
        guard !deviceID.isEmpty else { throw .invalid("Missing id") }
        guard devices.matches(id: deviceID, uuidBase64: uuid) else {
            logger.debug("audit record from an unknown device refused", metadata: ["peer.id": "\(deviceID)"])
            throw .unknownDevice
        }
        guard let nonce, !nonce.isEmpty else { return nil }
        guard nonce.utf8.count <= AuditLimits.nonce else { throw .invalid("Nonce too long") }
        return nonce
    }

    private func write(
        device: String, now: Int64,
        _ body: @Sendable (any AuditStore) async throws(APIStoreError) -> Bool
    ) async throws(AuditRefusal) -> AuditWrite {
        let applied: Bool
        do {
            applied = try await body(store)
        } catch {
            throw unavailable(error, device: device)
        }
        await pruneNoncesIfDue(now: now)
        return applied ? .stored : .duplicate
    }

    private func pruneNoncesIfDue(now: Int64) async {
        guard pruning.claim(now: now) else { return }
        do {
            try await store.deleteAuditNonces(before: now - AuditLimits.nonceRetentionSeconds)
        } catch {
            // Harmless: the next claim after the interval tries again.
            logger.warning("pruning audit nonces failed", metadata: ["error": "\(error)"])
        }
    }

    private func unavailable(_ error: APIStoreError, device: String) -> AuditRefusal {
        logger.error("audit write failed on the store", metadata: ["peer.id": "\(device)", "error": "\(error)"])
        return .unavailable
    }
}
