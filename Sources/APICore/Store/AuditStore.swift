/// Where the audit log lives: connection rows, file transfers, alarms and the nonces that make a
/// retried record apply once. Each record is one write through the store's group commit (no extra
/// sync per record); a write returns once committed. A nonce is claimed in the same transaction as
/// its record, so a failed write releases it and the client's retry stores the record.
public protocol AuditStore: Sendable {
    /// Applies `record` to its connection's row, creating the row when none continues it
    /// (`ConnectionAudit.isContinued(by:now:)`). False when `nonce` was already applied for this device.
    func applyConnectionRecord(_ record: ConnectionRecord, nonce: String?, now: Int64) async throws(APIStoreError)
        -> Bool
    /// Stores a file-transfer record; false when `nonce` was already applied for this device.
    func insertFileAudit(_ audit: FileAudit, nonce: String?) async throws(APIStoreError) -> Bool
    /// Stores an alarm; false when `nonce` was already applied for this device.
    func insertAlarmAudit(_ audit: AlarmAudit, nonce: String?) async throws(APIStoreError) -> Bool

    /// Sets the note of the newest connection of `deviceID` in session `sessionID` (not 0); false
    /// when there is none.
    func setSessionNote(deviceID: String, sessionID: UInt64, note: String) async throws(APIStoreError) -> Bool
    /// The guid of the newest connection of `deviceID` in session `sessionID` (not 0), of `connType`
    /// when given; nil when none is known yet.
    func connectionGUID(deviceID: String, sessionID: UInt64, connType: Int64?) async throws(APIStoreError)
        -> String?
    /// Sets the note of the connection `guid`, written by `userName`; false when there is none.
    func setConnectionNote(guid: String, note: String, by userName: String) async throws(APIStoreError) -> Bool

    /// The newest `limit` records of a device, newest first (the console's and the tests' view).
    func connectionAudits(deviceID: String, limit: Int) async throws(APIStoreError) -> [ConnectionAudit]
    func fileAudits(deviceID: String, limit: Int) async throws(APIStoreError) -> [FileAudit]
    func alarmAudits(deviceID: String, limit: Int) async throws(APIStoreError) -> [AlarmAudit]

    /// Forgets nonces claimed before `time`; returns how many.
    @discardableResult
    func deleteAuditNonces(before time: Int64) async throws(APIStoreError) -> Int
}
