import Foundation
import Logging
import NIOCore
import NIOPosix
import PeerStore
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO
import Synchronization

/// Everything hbbs's handlers share: settings, runtime tables, the store's writer, the waiting
/// requesters and the UDP socket used to reach registered peers. One instance per server; every
/// member is either immutable or owns its own lock.
public final class RendezvousContext: Sendable {
    public let settings: RendezvousSettings
    public let state: RendezvousState
    public let store: any PeerStore
    public let punchRouter = PunchRouter()
    public let peerConnections = PeerConnections()
    public let metrics = RendezvousMetrics()
    public let logger: Logger
    /// The clock the rules read and the connections' timers run on; tests inject a manual one.
    public let clock: ServerClock
    /// Filters a server list by DNS (ConfigUpdate from loopback); blocks, so it runs on `blockingPool`.
    public let resolveServerList: @Sendable ([String]) -> [String]
    /// Where blocking work for the datagram path runs: neither the UDP thread, the event loops nor the
    /// cooperative pool.
    public let blockingPool: NIOThreadPool
    /// The UDP PORT socket, set once bound: PunchHole, FetchLocalAddr and RequestRelay leave from it.
    private let udpSocket = Mutex<UDPSocket?>(nil)
    /// Serial and rendezvous-server list: a loopback ConfigUpdate may replace them (§5.4).
    private let configUpdate: Mutex<(serial: Int32, servers: [String])>
    /// The serial alone, so a heartbeat checks it without taking the lock (it almost never changes).
    private let currentSerial: Atomic<Int32>

    public init(
        settings: RendezvousSettings, state: RendezvousState, store: any PeerStore, logger: Logger,
        clock: ServerClock = .system, blockingPool: NIOThreadPool = .singleton,
        resolveServerList: @escaping @Sendable ([String]) -> [String] = { $0 }
    ) {
        self.settings = settings
        self.state = state
        self.store = store
        self.logger = logger
        self.clock = clock
        self.resolveServerList = resolveServerList
        self.blockingPool = blockingPool
        configUpdate = Mutex((settings.serial, settings.rendezvousServers))
        currentSerial = Atomic(settings.serial)
    }

    func attachUDP(_ socket: UDPSocket) { udpSocket.withLock { $0 = socket } }

    /// Monotonic milliseconds on `clock`.
    public var now: @Sendable () -> Milliseconds { clock.now }

    var serialAndServers: (serial: Int32, servers: [String]) { configUpdate.withLock { $0 } }

    /// Installs a ConfigUpdate's serial and servers unless a newer serial got there first: updates are
    /// resolved concurrently, so a slow older one may finish last, and the serial must never go back.
    /// True when installed.
    @discardableResult
    func replaceConfig(serial: Int32, servers: [String]) -> Bool {
        configUpdate.withLock { current in
            guard serial > current.serial else { return false }
            current = (serial, servers)
            currentSerial.store(serial, ordering: .relaxed)
            return true
        }
    }

    /// The ConfigUpdate sent with replies when the client's serial is older than ours.
    func configUpdateIfNewer(than clientSerial: Int32) -> Hbb_ConfigUpdate? {
        guard currentSerial.load(ordering: .relaxed) > clientSerial else { return nil }
        let (serial, servers) = serialAndServers
        guard serial > clientSerial else { return nil }
        return .with {
            $0.serial = serial
            $0.rendezvousServers = servers
        }
    }

    /// Sends `message` to a registered peer: on its registration connection when it registered over
    /// TCP/WebSocket, otherwise over UDP to its last address; errors are logged only (§5.6).
    func sendToPeer(_ message: Hbb_RendezvousMessage, id: String, at address: SocketAddr) {
        if let connection = peerConnections.connection(for: id) {
            if let data = try? message.byteBuffer(allocator: connection.allocator) {
                connection.writeAndFlush(data, promise: nil)
            }
            return
        }
        guard let socket = udpSocket.withLock({ $0 }) else { return }
        do {
            let bytes: [UInt8] = try message.serializedBytes()
            if !socket.send(bytes, to: address) {
                logger.warning("cannot send to peer", metadata: ["peer.addr": "\(address)"])
            }
        } catch {
            logger.warning("cannot send to peer", metadata: ["peer.addr": "\(address)", "error": "\(error)"])
        }
    }

    /// sign_pk of §10.4: the signed IdPk of `id`, or empty without a version, a key or a known peer.
    func signedPk(version: String, id: String) -> Data {
        guard !version.isEmpty, let secretKey = settings.signingSecretKey,
            let peer = state.registry.peer(id)
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
