import APICore
import Logging
import RustDeskCore

/// What the client API's routes are built with: one service per area, each owning its rules and
/// talking to the store through its protocol. An immutable value; `HbbsServer` builds one.
public struct ClientAPIServices: Sendable {
    public let accounts: AccountService
    public let tokens: APITokenService
    /// users.py's admin routes.
    public let userAdministration: UserAdministration
    /// users.py `invite` and the invitee's link.
    public let invitations: UserInvitations
    /// API_PUBLIC_URL: the base of links hbbs hands out; nil = the request's Host.
    public let publicURL: String?
    /// user-groups.py's admin routes.
    public let userGroupAdministration: UserGroupAdministration
    /// devices.py's admin routes.
    public let deviceAdministration: DeviceAdministration
    /// device-groups.py's admin routes.
    public let deviceGroupAdministration: DeviceGroupAdministration
    /// strategies.py's admin routes.
    public let strategyAdministration: StrategyAdministration
    /// Every administrative change, and audits.py's console view.
    public let consoleAudit: ConsoleAuditLog
    /// audits.py's connection, file and alarm views.
    public let auditLog: any AuditReadStore
    public let audit: AuditService
    public let recordings: RecordingService
    public let addressBooks: AddressBookService
    /// ab.py's book and rule management.
    public let addressBookAdministration: AddressBookAdministration
    /// hbbs's registry of peers, for device-scoped checks and online status.
    public let devices: any RegisteredDevices
    /// Heartbeat, sysinfo, strategies and the group tab.
    public let deviceService: DeviceService
    /// Reverse proxies whose `X-Real-IP` / `X-Forwarded-For` name the client (loopback always is).
    public let trustedProxies: TrustedProxies
    public let metrics: APIMetrics
    public let logger: Logger

    public init(
        accounts: AccountService, tokens: APITokenService, userAdministration: UserAdministration,
        userGroupAdministration: UserGroupAdministration, strategyAdministration: StrategyAdministration,
        deviceGroupAdministration: DeviceGroupAdministration, deviceAdministration: DeviceAdministration,
        consoleAudit: ConsoleAuditLog, auditLog: any AuditReadStore, audit: AuditService,
        recordings: RecordingService,
        addressBooks: AddressBookService, addressBookAdministration: AddressBookAdministration,
        devices: any RegisteredDevices, deviceService: DeviceService, trustedProxies: TrustedProxies = TrustedProxies(),
        metrics: APIMetrics, invitations: UserInvitations, publicURL: String? = nil, logger: Logger
    ) {
        self.invitations = invitations
        self.publicURL = publicURL
        self.metrics = metrics
        self.accounts = accounts
        self.tokens = tokens
        self.userAdministration = userAdministration
        self.consoleAudit = consoleAudit
        self.auditLog = auditLog
        self.userGroupAdministration = userGroupAdministration
        self.strategyAdministration = strategyAdministration
        self.deviceGroupAdministration = deviceGroupAdministration
        self.deviceAdministration = deviceAdministration
        self.audit = audit
        self.recordings = recordings
        self.addressBooks = addressBooks
        self.addressBookAdministration = addressBookAdministration
        self.devices = devices
        self.trustedProxies = trustedProxies
        self.deviceService = deviceService
        self.logger = logger
    }
}
