import Foundation
import NIOCore
import NIOEmbedded
import RendezvousProtocol
import RustDeskCore
import Synchronization
import Testing

@testable import RustDeskNIO

/// The handlers behind `SecureChannelHandler` learn that a connection is secured from one user event,
/// which plaintext clients never cause (HttpProxyRequest and HealthCheck depend on it).
@Suite struct SecureChannelEventTests {
    /// Records the user events that reach the end of the pipeline.
    final class EventRecorder: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        private let events = Mutex<[SecureChannelEvent]>([])
        var all: [SecureChannelEvent] { events.withLock { $0 } }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let event = event as? SecureChannelEvent { events.withLock { $0.append(event) } }
        }
    }

    private func makeChannel() throws -> (EmbeddedChannel, EventRecorder, Sodium.SigningKeyPair) {
        let signing = try Sodium.signKeyPair(seed: [UInt8](0..<32))
        let recorder = EventRecorder()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            SecureChannelHandler(handshake: try SecureChannelServerHandshake(signingSecretKey: signing.secretKey)),
            recorder,
        ])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return (channel, recorder, signing)
    }

    @Test func securedIsAnnouncedOnceAfterTheHandshake() throws {
        let (channel, recorder, signing) = try makeChannel()
        let offer = try Hbb_RendezvousMessage(
            serializedBytes: Array(try #require(try channel.readOutbound(as: ByteBuffer.self)).readableBytesView))
        let client = try SecureChannelClientHandshake(
            serverKeys: offer.keyExchange.keys.map { Array($0) }, serverPublicKey: signing.publicKey)
        #expect(recorder.all.isEmpty)
        let reply = Hbb_RendezvousMessage.with {
            $0.keyExchange = .with { $0.keys = client.replyKeys.map { Data($0) } }
        }
        try channel.writeInbound(ByteBuffer(bytes: try reply.serializedBytes() as [UInt8]))
        var cipher = client.cipher
        try channel.writeInbound(ByteBuffer(bytes: try cipher.seal([1, 2, 3])))
        #expect(recorder.all == [.secured])
    }

    @Test func plaintextClientIsNeverAnnounced() throws {
        let (channel, recorder, _) = try makeChannel()
        _ = try channel.readOutbound(as: ByteBuffer.self)
        let request = Hbb_RendezvousMessage.with { $0.testNatRequest = .init() }
        try channel.writeInbound(ByteBuffer(bytes: try request.serializedBytes() as [UInt8]))
        #expect(recorder.all.isEmpty)
    }
}
