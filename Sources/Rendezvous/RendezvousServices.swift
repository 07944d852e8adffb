import Foundation
import Logging
import NIOPosix
import PeerStore
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO

/// What every hbbs handler is built with: the owners it calls (each with its own lock and methods),
/// the settings, the clock, the metrics and the logger. An immutable value that owns no state itself;
/// `HbbsServer` builds one, so tests run exactly what production wires.
public struct RendezvousServices: Sendable {
    public let settings: RendezvousSettings
    public let tables: RendezvousTables
    public let store: any PeerStore
    /// Requesters waiting for their peer's answer to a punch hole.
    public let punchRouter: PunchRouter
    public let messenger: PeerMessenger
    public let configUpdates: ConfigUpdates
    public let metrics: RendezvousMetrics
    public let logger: Logger
    /// The clock the rules read and the connections' timers run on; tests inject a manual one.
    public let clock: ServerClock
    /// Filters a server list by DNS (ConfigUpdate from loopback); blocks, so it runs on `blockingPool`.
    public let resolveServerList: @Sendable ([String]) -> [String]
    /// Where blocking work for the datagram path runs: neither the UDP thread, the event loops nor the
    /// cooperative pool.
    public let blockingPool: NIOThreadPool
    /// The client API as PORT connections reach it (HttpProxyRequest, HealthCheck); nil = API_PORT off.
    public let api: RendezvousAPIAccess?
    public let healthChecks: OpenHealthChecks

    public init(
        settings: RendezvousSettings, tables: RendezvousTables, store: any PeerStore, metrics: RendezvousMetrics,
        logger: Logger, clock: ServerClock = .system, blockingPool: NIOThreadPool = .singleton,
        resolveServerList: @escaping @Sendable ([String]) -> [String] = { $0 }, api: RendezvousAPIAccess? = nil
    ) {
        self.settings = settings
        self.tables = tables
        self.store = store
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        self.resolveServerList = resolveServerList
        self.blockingPool = blockingPool
        self.api = api
        healthChecks = OpenHealthChecks()
        punchRouter = PunchRouter()
        messenger = PeerMessenger(logger: logger)
        configUpdates = ConfigUpdates(serial: settings.serial, servers: settings.rendezvousServers)
    }

    /// Monotonic milliseconds on `clock`.
    public var now: @Sendable () -> Milliseconds { clock.now }

    /// The ConfigUpdate sent with replies when the client's serial is older than ours.
    func configUpdateIfNewer(than clientSerial: Int32) -> Hbb_ConfigUpdate? {
        guard let (serial, servers) = configUpdates.newer(than: clientSerial) else { return nil }
        return .with {
            $0.serial = serial
            $0.rendezvousServers = servers
        }
    }

    /// sign_pk of §10.4: the signed IdPk of `id`, or empty without a version, a key or a known peer.
    func signedPk(version: String, id: String) -> Data {
        guard !version.isEmpty, let secretKey = settings.signingSecretKey,
            let peer = tables.registry.peer(id)
        else { return Data() }
        let idPk = Hbb_IdPk.with {
            $0.id = id
            $0.pk = Data(peer.pk)
        }
        do {
            let payload: [UInt8] = try idPk.serializedBytes()
            return Data(try Sodium.sign(payload, secretKey: secretKey))
        } catch {
            logger.error("cannot sign peer key", metadata: ["peer.id": "\(id)", "error": "\(error)"])
            return Data()
        }
    }
}
