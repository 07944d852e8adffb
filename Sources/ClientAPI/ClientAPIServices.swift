import APICore
import Logging

/// What the client API's routes are built with: one service per area, each owning its rules and
/// talking to the store through its protocol. An immutable value; `HbbsServer` builds one.
public struct ClientAPIServices: Sendable {
    public let accounts: AccountService
    public let audit: AuditService
    public let recordings: RecordingService
    /// hbbs's registry of peers, for device-scoped checks and online status.
    public let devices: any RegisteredDevices
    public let logger: Logger

    public init(
        accounts: AccountService, audit: AuditService, recordings: RecordingService, devices: any RegisteredDevices,
        logger: Logger
    ) {
        self.accounts = accounts
        self.audit = audit
        self.recordings = recordings
        self.devices = devices
        self.logger = logger
    }
}
