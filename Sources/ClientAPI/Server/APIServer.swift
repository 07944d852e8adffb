import APICore
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import RustDeskNIO
import ServiceLifecycle
import Synchronization

/// The client API's HTTP/1.1 listener on PORT−2 (API_PORT), a service of hbbs's composition root.
/// `start()` binds like hbbs's other listeners (BIND, or dual-stack `[::]` falling back to `0.0.0.0`)
/// so a taken port fails start-up; `run()` serves until graceful shutdown, then stops accepting, lets
/// requests in progress finish and closes every connection.
///
/// Connections run on `group` (hbbs gives the API its own low-priority loops, `APIEventLoops`, so the
/// rendezvous UDP thread preempts HTTP work); handlers run as tasks, except heartbeats, which
/// `HeartbeatFrontDoor` or `HeartbeatFastPath` answer on the connection's loop (`APIChildChannel`). An idle connection is closed after `idleTimeout`, and a slow one
/// after `headTimeout` / `bodyTimeout` (`RequestDeadlineHandler`).
public final class APIServer: Service, Sendable {
    public struct Limits: Sendable {
        /// A connection with nothing to read or write for this long is closed.
        public var idleTimeout: TimeAmount = .seconds(30)
        /// The next request's head must be complete this long after the previous request ended.
        public var headTimeout: TimeAmount = .seconds(30)
        /// A request's body must be complete this long after its head (recording chunks are the largest).
        public var bodyTimeout: TimeAmount = .seconds(120)
        /// Header bytes a request may carry (the client's requests are far smaller).
        public var maxHeaderBytes = 16 * 1024

        public init() {}
    }

    private let hosts: [String]
    private let port: Int
    private let door: APIDoor
    private let limits: Limits
    private let group: any EventLoopGroup
    private let heartbeat: HeartbeatResponder?
    private let logger: Logger
    /// Guards the bound listener between `start()` and `run()`, and whether it has been closed.
    private let listener = Mutex<Listener>(.unbound)
    private let connections = OpenConnections()

    private enum Listener {
        case unbound
        case bound(NIOAsyncChannel<APIChildChannel.Value, Never>)
        case serving(any Channel)
        case closed
    }

    public init(
        hosts: [String], port: Int, door: APIDoor, limits: Limits = Limits(), group: any EventLoopGroup,
        heartbeat: (devices: DeviceService, metrics: APIMetrics)? = nil, logger: Logger
    ) {
        self.heartbeat = heartbeat.map { HeartbeatResponder(devices: $0.devices, metrics: $0.metrics) }
        self.hosts = hosts
        self.port = port
        self.door = door
        self.limits = limits
        self.group = group
        self.logger = logger
    }

    /// The bound address once `start()` has succeeded.
    public var localAddress: SocketAddress? {
        listener.withLock { state in
            switch state {
            case .bound(let channel): channel.channel.localAddress
            case .serving(let channel): channel.localAddress
            case .unbound, .closed: nil
            }
        }
    }

    /// Bound and not closed (readiness).
    public var isListening: Bool {
        listener.withLock { state in
            switch state {
            case .bound(let channel): channel.channel.isActive
            case .serving(let channel): channel.isActive
            case .unbound, .closed: false
            }
        }
    }

    /// Binds the listener; call once, before `run()`.
    @discardableResult
    public func start() async throws -> SocketAddress {
        let http = httpChannel()
        let (_, channel) = try await ListenerBinding.onFirstHost(hosts) { host in
            try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: ListenerBootstrap.backlog)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port, serverBackPressureStrategy: nil) { [connections, logger] channel in
                    connections.track(channel)
                    return http.setup(channel: channel, logger: logger)
                }
        }
        guard let address = channel.channel.localAddress else {
            try? await channel.channel.close()
            throw ChannelError.unknownLocalAddress
        }
        listener.withLock { $0 = .bound(channel) }
        logger.info("client API listening", metadata: ["address": "\(address)"])
        return address
    }

    public func run() async throws {
        let bound: NIOAsyncChannel<APIChildChannel.Value, Never>? = listener.withLock { state in
            guard case .bound(let channel) = state else { return nil }
            state = .serving(channel.channel)
            return channel
        }
        guard let bound else { return }
        let http = httpChannel()
        let logger = logger
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { tasks in
                try? await bound.executeThenClose { inbound in
                    for try await connection in inbound {
                        tasks.addTask { await http.handle(value: connection, logger: logger) }
                    }
                }
                // The listener is closed; requests in flight finish, idle keep-alive connections go now.
                self.connections.quiesceAll()
            }
        } onGracefulShutdown: {
            self.close()
        }
    }

    /// Stops accepting; `run()` then asks every open connection to finish its request and close.
    public func close() {
        let channel: (any Channel)? = listener.withLock { state in
            defer { state = .closed }
            switch state {
            case .bound(let channel): return channel.channel
            case .serving(let channel): return channel
            case .unbound, .closed: return nil
            }
        }
        channel?.close(promise: nil)
    }

    private func httpChannel() -> APIChildChannel {
        let door = door
        return APIChildChannel(
            responder: { request, writer, channel in
                let response = await door.respond(to: request, on: channel)
                try await writer.write(response: response.head, body: response.body)
            }, limits: limits, heartbeat: heartbeat)
    }
}
