import NIOCore
import NIOPosix
import RustDeskNIO
import Testing

#if canImport(Glibc)
    import Glibc
#endif

struct ListenerBootstrapTests {
    /// TCP_NODELAY is a TCP-level option: set at the socket level, the same number is SO_DEBUG, which needs
    /// CAP_NET_ADMIN, so every accepted connection of a server not running as root was closed at once.
    @Test func acceptedConnectionsGetTCPNoDelayAndNotSODebug() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let accepted = group.next().makePromise(of: (any Channel).self)
        let listener = try await ListenerBootstrap.bind(host: "127.0.0.1", port: 0, group: group) { channel in
            accepted.succeed(channel)
        }
        let port = try #require(listener.localAddress?.port)
        let client = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
        let connection = try await accepted.futureResult.get()
        #expect(try await connection.getOption(.tcpOption(.tcp_nodelay)).get() != 0)
        #expect(try await connection.getOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_DEBUG))).get() == 0)
        try await client.close()
        try await listener.close()
    }
}
