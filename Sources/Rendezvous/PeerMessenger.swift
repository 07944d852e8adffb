import Logging
import NIOCore
import RendezvousProtocol
import RustDeskCore
import Synchronization

/// Owns the two ways hbbs reaches a registered peer (spec/hbbs.md §5.6): the peer's kept-open TCP or
/// WebSocket registration connection when it has one (client.md §3.5.6), otherwise the UDP PORT
/// socket to its last address. PunchHole, FetchLocalAddr and RequestRelay leave through here.
public final class PeerMessenger: Sendable {
    /// Registration connections by peer ID.
    public let connections = PeerConnections()
    /// The UDP PORT socket, set once when the server binds it (after the TCP PORT, which port 0 picks,
    /// so a connection can ask before it exists: its messages then go nowhere, as to an offline peer).
    private let udpSocket = Mutex<UDPSocket?>(nil)
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func attach(_ socket: UDPSocket) { udpSocket.withLock { $0 = socket } }

    /// Sends `message` to peer `id`: on its registration connection if bound, else over UDP to
    /// `address`; failures are logged only.
    func send(_ message: Hbb_RendezvousMessage, to id: String, at address: SocketAddr) {
        if let connection = connections.connection(for: id) {
            if let data = try? message.byteBuffer(allocator: connection.allocator) {
                connection.writeAndFlush(data, promise: nil)
            }
            return
        }
        guard let socket = udpSocket.withLock({ $0 }) else { return }
        do {
            let bytes: [UInt8] = try message.serializedBytes()
            if !socket.send(bytes, to: address) {
                logger.debug("cannot send to peer", metadata: ["peer.addr": "\(address)"])
            }
        } catch {
            logger.warning("cannot send to peer", metadata: ["peer.addr": "\(address)", "error": "\(error)"])
        }
    }
}
