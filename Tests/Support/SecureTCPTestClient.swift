import Foundation
import NIOCore
import NIOPosix
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO
import Synchronization

/// A client of hbbs PORT that secures the connection as `secure_tcp` does (wire.md §4.3, §4.4):
/// waits for the server's KeyExchange, verifies it with the server key, replies with its box key and
/// the sealed session key, then seals every non-empty unit it sends and opens every one it receives.
/// An empty unit from the server is a heartbeat: answered at once with an empty unit, unencrypted.
public final class SecureTCPTestClient: Sendable {
    public struct ProtocolError: Error, CustomStringConvertible {
        public let description: String
    }

    public let channel: any Channel
    private let inbox = Inbox<ByteBuffer>()
    /// The session cipher once the handshake is done; nil before (plaintext).
    private let cipher = Mutex<SecureChannelCipher?>(nil)
    /// Every payload sent, as it went on the wire (sealed or not), for replay tests.
    private let sent = Mutex<[[UInt8]]>([])
    /// Heartbeats received (and answered).
    public let heartbeats = Atomic<Int>(0)

    public init(
        port: Int, host: String = "127.0.0.1", group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    )
        async throws
    {
        let inbox = self.inbox
        channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(15))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(FrameDecoder()), MessageToByteHandler(FrameEncoder()),
                        InboxHandler(inbox: inbox),
                    ])
                }
            }
            .connect(host: host, port: port).get()
    }

    public var localAddress: SocketAddr? { channel.localAddress?.socketAddr }
    public var isSecured: Bool { cipher.withLock { $0 != nil } }

    /// Steps 2–4 of wire.md §4.3: the server's first unit must be a KeyExchange signed with
    /// `serverPublicKey`; `tamper` may alter the reply's keys to provoke server-side failures.
    public func handshake(
        serverPublicKey: [UInt8], timeout: Duration = .seconds(15), tamper: ([[UInt8]]) -> [[UInt8]] = { $0 }
    ) async throws {
        guard let first = await inbox.next(timeout: timeout) else { throw TestTimeout(what: "the KeyExchange") }
        let message = try Hbb_RendezvousMessage(buffer: first)
        guard case .keyExchange(let exchange) = message.union else {
            throw ProtocolError(description: "first unit is not a KeyExchange")
        }
        let client = try SecureChannelClientHandshake(
            serverKeys: exchange.keys.map { Array($0) }, serverPublicKey: serverPublicKey)
        let reply = Hbb_RendezvousMessage.with {
            $0.keyExchange = .with { $0.keys = tamper(client.replyKeys).map { Data($0) } }
        }
        try await sendPayload(try reply.serializedBytes())
        cipher.withLock { $0 = client.cipher }
    }

    /// Sends `message`, sealed once secured.
    public func send(_ message: Hbb_RendezvousMessage) async throws {
        let plain: [UInt8] = try message.serializedBytes()
        let payload = try cipher.withLock { cipher throws(SecureChannelError) -> [UInt8] in
            guard var current = cipher else { return plain }
            defer { cipher = current }
            return try current.seal(plain)
        }
        try await sendPayload(payload)
    }

    /// Frames and sends `payload` exactly as given (no sealing): heartbeats, replays, garbage.
    public func sendPayload(_ payload: [UInt8]) async throws {
        sent.withLock { $0.append(payload) }
        try await channel.writeAndFlush(ByteBuffer(bytes: payload))
    }

    /// The payloads sent so far, as they went on the wire.
    public var sentPayloads: [[UInt8]] { sent.withLock { $0 } }

    /// The next message, opened if secured; heartbeats are answered and skipped.
    public func receive(timeout: Duration = .seconds(15)) async throws -> Hbb_RendezvousMessage {
        while true {
            guard let buffer = await inbox.next(timeout: timeout) else { throw TestTimeout(what: "a frame") }
            let payload = Array(buffer.readableBytesView)
            if payload.isEmpty {
                heartbeats.add(1, ordering: .relaxed)
                try await sendPayload([])
                continue
            }
            let plain = try cipher.withLock { cipher throws(SecureChannelError) -> [UInt8] in
                guard var current = cipher else { return payload }
                defer { cipher = current }
                return try current.open(payload)
            }
            return try Hbb_RendezvousMessage(serializedBytes: plain)
        }
    }

    /// The next unit exactly as it arrived (not opened, heartbeats not answered); nil on timeout.
    public func receiveRawPayload(timeout: Duration = .seconds(15)) async -> [UInt8]? {
        await inbox.next(timeout: timeout).map { Array($0.readableBytesView) }
    }

    /// Waits until the server closes the connection; false on timeout.
    public func waitForClose(timeout: Duration = .seconds(15)) async -> Bool {
        await TestSupport.waitForClose(of: channel, timeout: timeout)
    }

    public func close() async { try? await channel.close() }
}
