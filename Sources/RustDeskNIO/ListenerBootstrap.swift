import NIOCore
import NIOPosix

/// The TCP listener settings both servers share.
public enum ListenerBootstrap {
    /// The reference listens with 128; a burst of clients (a relay host opening hundreds of pairs)
    /// overflows that and waits a SYN retry. The kernel caps this at net.core.somaxconn.
    public static let backlog: Int32 = 4096

    /// A ServerBootstrap with the shared backlog, SO_REUSEADDR and TCP_NODELAY on accepted connections;
    /// `configure` adds what a server needs beyond that (auto-read, receive buffers).
    public static func bind(
        host: String, port: Int, group: any EventLoopGroup,
        configure: (ServerBootstrap) -> ServerBootstrap = { $0 },
        childInitializer: @escaping @Sendable (any Channel) throws -> Void
    ) async throws -> any Channel {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        return try await configure(bootstrap)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try childInitializer(channel) }
            }
            .bind(host: host, port: port)
            .get()
    }
}
