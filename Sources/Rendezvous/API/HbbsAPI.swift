import APICore
import ClientAPI
import Logging
import NIOCore
import NIOPosix
import RustDeskCore
import RustDeskNIO
import ServiceLifecycle

/// The client API inside hbbs: its services over the store, the router's door (shared by the PORT−2
/// listener and `HttpProxyRequest`), and the listener. Built by `HbbsServer` when API_PORT is not
/// `off`; `start()` makes sure an administrator exists and binds.
public final class HbbsAPI: Sendable {
    /// What the API is built from, besides the store.
    public struct Options: Sendable {
        public var port: Int
        public var adminPassword: String?
        public var sessionDays: Int
        public var recordingsDirectory: String
        public var hasher: PasswordHasher
        public var limits: APIServer.Limits
        /// MUST_LOGIN: only logged-in initiators are connected.
        public var mustLogin: Bool
        /// SMTP_*: where invitations are mailed; nil = they answer with their link.
        public var mail: MailConfiguration?
        /// How long one mail may take, connecting included.
        public var mailTimeout: Duration = .seconds(30)
        /// API_PUBLIC_URL: the base of invitation links; nil = the request's Host.
        public var publicURL: String?

        public init(
            port: Int, adminPassword: String? = nil, sessionDays: Int = APIConfiguration.defaultSessionDays,
            recordingsDirectory: String = APIConfiguration.defaultRecordingsDirectory,
            hasher: PasswordHasher = .standard, limits: APIServer.Limits = APIServer.Limits(), mustLogin: Bool = false
        ) {
            self.port = port
            self.adminPassword = adminPassword
            self.sessionDays = sessionDays
            self.recordingsDirectory = recordingsDirectory
            self.hasher = hasher
            self.limits = limits
            self.mustLogin = mustLogin
        }

        /// From hbbs's configuration; nil when API_PORT is `off`.
        public init?(_ configuration: APIConfiguration) {
            guard let port = configuration.port else { return nil }
            self.init(
                port: port, adminPassword: configuration.adminPassword, sessionDays: configuration.sessionDays,
                recordingsDirectory: configuration.recordingsDirectory, mustLogin: configuration.mustLogin)
            mail = configuration.mail
            publicURL = configuration.publicURL
        }
    }

    public let services: ClientAPIServices
    /// What hbbs's PORT connections ask before connecting anyone: disabled devices, access rules, MUST_LOGIN.
    public let policy: ConnectionPolicy
    public let door: APIDoor
    /// The same door as seen by HttpProxyRequest on the rendezvous port.
    public let proxy: APIProxy
    public let server: APIServer
    /// The listener's connections run here, below the rendezvous threads' priority.
    public let eventLoops: APIEventLoops
    private let options: Options
    private let logger: Logger

    init(
        options: Options, store: any APIStore, devices: any RegisteredDevices, deployment: any DeviceDeployment,
        bind: IPAddress?,
        trustedProxies: TrustedProxies, metrics: APIMetrics, clock: APIClock, blockingPool: NIOThreadPool,
        logger: Logger
    ) {
        let blocking = BlockingWork { work in
            do {
                try await blockingPool.runIfActive { work() }
            } catch {
                // The pool is stopping (shutdown); run it here rather than drop a login.
                work()
            }
        }
        // The address books read device names from the device directory, and sysinfo presets put
        // devices into address books; the connection policy reads devices' state from it too.
        let directory = DeviceDirectory()
        let policy = ConnectionPolicy(
            mustLogin: options.mustLogin, devices: directory, store: store, clock: clock, logger: logger)
        self.policy = policy
        let consoleAudit = ConsoleAuditLog(
            store: store, clock: clock, changed: { await policy.reload() }, logger: logger)
        let addressBooks = AddressBookService(
            store: store, devices: devices, deviceNames: directory, clock: clock, audit: consoleAudit,
            logger: logger)
        let presets: @Sendable (String, AddressBookPreset) async -> Void = { id, preset in
            _ = await addressBooks.applyDevicePreset(deviceID: id, preset: preset)
        }
        let deviceService = DeviceService(
            store: store, users: store, registered: devices, clock: clock, directory: directory,
            addressBookPresets: presets, logger: logger)
        let accounts = AccountService(
            store: store, hasher: options.hasher, clock: clock, blocking: blocking, sessionDays: options.sessionDays,
            deviceOwnership: deviceService, sessionsChanged: { await policy.reload() }, logger: logger)
        let audit = AuditService(store: store, devices: devices, clock: clock, logger: logger)
        let recordings = RecordingService(directory: options.recordingsDirectory, blocking: blocking, logger: logger)
        let tokens = APITokenService(store: store, audit: consoleAudit, clock: clock, logger: logger)
        let userAdministration = UserAdministration(
            store: store, audit: consoleAudit, hasher: options.hasher, blocking: blocking, clock: clock, logger: logger)
        let eventLoops = APIEventLoops()
        self.eventLoops = eventLoops
        let mailer = options.mail.map {
            SMTPMailer(configuration: $0, group: eventLoops.group, timeout: options.mailTimeout, clock: clock)
        }
        let invitations = UserInvitations(
            store: store, mailer: mailer, mailFrom: options.mail?.from ?? "", audit: consoleAudit,
            hasher: options.hasher, blocking: blocking, clock: clock, logger: logger)
        services = ClientAPIServices(
            accounts: accounts, tokens: tokens, userAdministration: userAdministration,
            userGroupAdministration: UserGroupAdministration(
                store: store, audit: consoleAudit, clock: clock, logger: logger),
            strategyAdministration: StrategyAdministration(
                devices: deviceService, store: store, audit: consoleAudit, logger: logger),
            deviceGroupAdministration: DeviceGroupAdministration(
                devices: deviceService, store: store, audit: consoleAudit, clock: clock, logger: logger),
            deviceAdministration: DeviceAdministration(
                devices: deviceService, store: store, audit: consoleAudit, deployment: deployment,
                addressBookPresets: { id, preset in await addressBooks.applyDevicePreset(deviceID: id, preset: preset)
                },
                logger: logger),
            consoleAudit: consoleAudit, auditLog: store, audit: audit,
            recordings: recordings, addressBooks: addressBooks,
            addressBookAdministration: AddressBookAdministration(
                books: addressBooks, store: store, accounts: store, audit: consoleAudit, logger: logger),
            devices: devices, deviceService: deviceService,
            trustedProxies: trustedProxies, metrics: metrics, invitations: invitations,
            publicURL: options.publicURL, logger: logger)
        door = APIDoor(responder: ClientAPIRouter.build(services), logger: logger)
        proxy = APIProxy(door: door)
        server = APIServer(
            hosts: ListenerBinding.hosts(for: bind), port: options.port, door: door, limits: options.limits,
            group: eventLoops.group, heartbeat: (deviceService, metrics), logger: logger)
        self.options = options
        self.logger = logger
    }

    /// The API's services for hbbs's group: the listener, and the janitor of expired sessions.
    var servicesToRun: [any Service] {
        // The loops before the listener, so they stop after it.
        [
            SessionJanitor(accounts: services.accounts, interval: .seconds(3600), logger: logger),
            PolicyRefresh(policy: policy, interval: ConnectionPolicy.refreshInterval), eventLoops, server,
        ]
    }

    /// What hbbs's PORT connections use of the API (HttpProxyRequest, HealthCheck).
    var rendezvousAccess: RendezvousAPIAccess {
        RendezvousAPIAccess(proxy: proxy, accounts: services.accounts, policy: policy)
    }

    /// Says once how invitations travel; the password never appears (`MailConfiguration.description`).
    private func logMailSetting() {
        guard let mail = options.mail else {
            logger.info("no SMTP_HOST: invitations answer with their link and log it")
            return
        }
        logger.info("invitations are mailed", metadata: ["smtp": "\(mail)"])
        let local = ["localhost", "127.0.0.1", "::1", "[::1]"].contains(mail.host.lowercased())
        if mail.user != nil && !local {
            logger.warning(
                "SMTP AUTH goes in plain text (no TLS); use a relay on this host or a trusted network",
                metadata: ["smtp": "\(mail)"])
        }
    }

    /// Creates the first administrator if there is none, then binds the listener.
    @discardableResult
    func start() async throws(HbbsStartupError) -> SocketAddress {
        do {
            switch try await services.accounts.ensureAdministrator(password: options.adminPassword) {
            case .existing: break
            case .created(let name, nil):
                logger.notice("administrator created from ADMIN_PASSWORD", metadata: ["user": "\(name)"])
            case .created(let name, let generated?):
                // Logged once, at creation: the only way to learn it besides `rustdesk-utils user passwd`.
                logger.warning(
                    "administrator created with a generated password; change it with rustdesk-utils user passwd",
                    metadata: ["user": "\(name)", "password": "\(generated)"])
            }
            logMailSetting()
            // The heartbeat answers from memory; load what it needs before the first one arrives.
            try await services.deviceService.loadDirectory()
            await policy.reload()
        } catch {
            throw .apiBootstrap(error)
        }
        do {
            return try await server.start()
        } catch {
            throw .apiListen(port: options.port, error)
        }
    }
}
