import NIOCore
import NIOPosix
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO
import Synchronization

/// Pushes every inbound value of a test client's channel into an inbox.
public final class InboxHandler<Value: Sendable>: ChannelInboundHandler, Sendable {
    public typealias InboundIn = Value
    public let inbox: Inbox<Value>
    public init(inbox: Inbox<Value>) { self.inbox = inbox }
    public func channelRead(context: ChannelHandlerContext, data: NIOAny) { inbox.push(unwrapInboundIn(data)) }
    public func channelInactive(context: ChannelHandlerContext) { inbox.close() }
    public func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

/// A controlled peer's UDP socket, bound to a chosen loopback address so per-IP rules apply as
/// between real machines (all of 127/8 is loopback on Linux).
public final class UDPTestPeer: Sendable {
    public let channel: any Channel
    private let inbox = Inbox<AddressedEnvelope<ByteBuffer>>()

    public init(host: String = "127.0.0.1", group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
        async throws
    {
        let inbox = self.inbox
        channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(InboxHandler(inbox: inbox))
                }
            }
            .bind(host: host, port: 0).get()
    }

    public var localAddress: SocketAddr? { channel.localAddress?.socketAddr }

    public func send(_ message: Hbb_RendezvousMessage, to port: Int, host: String = "127.0.0.1") async throws {
        try await sendRaw(try message.byteBuffer(allocator: channel.allocator), to: port, host: host)
    }

    public func sendRaw(_ data: ByteBuffer, to port: Int, host: String = "127.0.0.1") async throws {
        let remote = try SocketAddress(ipAddress: host, port: port)
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: data))
    }

    public func receive(timeout: Duration = .seconds(15)) async throws -> Hbb_RendezvousMessage {
        guard let envelope = await inbox.next(timeout: timeout) else { throw TestTimeout(what: "a datagram") }
        return try Hbb_RendezvousMessage(buffer: envelope.data)
    }

    public func close() async { try? await channel.close() }
}

/// A framed TCP client (what RustDesk clients speak to hbbs PORT and PORT−1). Like real clients on
/// the paths that do not secure the connection (wire.md §4.3 item 6), `receive` skips one KeyExchange
/// if it is the very first unit.
public final class TCPTestClient: Sendable {
    public let channel: any Channel
    private let inbox = Inbox<ByteBuffer>()
    /// Set once the first unit has been taken from the inbox: only that one may be skipped.
    private let firstUnitTaken = Atomic<Bool>(false)

    public init(
        port: Int, host: String = "127.0.0.1", from source: String? = nil, framed: Bool = true,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws {
        let inbox = self.inbox
        var bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(15))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if framed {
                        try channel.pipeline.syncOperations.addHandlers([
                            ByteToMessageHandler(FrameDecoder()), MessageToByteHandler(FrameEncoder()),
                        ])
                    }
                    try channel.pipeline.syncOperations.addHandler(InboxHandler(inbox: inbox))
                }
            }
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        channel = try await bootstrap.connect(host: host, port: port).get()
    }

    public var localAddress: SocketAddr? { channel.localAddress?.socketAddr }

    public func send(_ message: Hbb_RendezvousMessage) async throws {
        try await channel.writeAndFlush(try message.byteBuffer(allocator: channel.allocator))
    }

    public func sendRaw(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    public func receive(timeout: Duration = .seconds(15)) async throws -> Hbb_RendezvousMessage {
        guard let payload = await inbox.next(timeout: timeout) else { throw TestTimeout(what: "a frame") }
        let message = try Hbb_RendezvousMessage(buffer: payload)
        let first = !firstUnitTaken.exchange(true, ordering: .relaxed)
        if first, case .keyExchange = message.union { return try await receive(timeout: timeout) }
        return message
    }

    /// The next raw chunk (unframed clients) or payload (framed ones), nothing skipped; nil at close or
    /// timeout.
    public func receiveRaw(timeout: Duration = .seconds(15)) async -> ByteBuffer? {
        let chunk = await inbox.next(timeout: timeout)
        if chunk != nil { firstUnitTaken.store(true, ordering: .relaxed) }
        return chunk
    }

    /// Waits until the server closes the connection; false on timeout.
    public func waitForClose(timeout: Duration = .seconds(15)) async -> Bool {
        await TestSupport.waitForClose(of: channel, timeout: timeout)
    }

    /// Whether the connection has closed (by the server, in tests).
    public var isClosed: Bool { !channel.isActive }

    public func close() async { try? await channel.close() }
}
