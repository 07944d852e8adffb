import Foundation
import NIOCore
import NIOEmbedded
import RendezvousProtocol
import RustDeskCore
import Synchronization
import Testing

@testable import RustDeskNIO

/// The secure-TCP handler on payloads (the frame codec is not involved): offer first, then sealing,
/// opening, heartbeats and the failures that close (wire.md §4).
@Suite struct SecureChannelHandlerTests {
    /// The failures the handler reported.
    final class FailureLog: Sendable {
        private let errors = Mutex<[SecureChannelError]>([])
        func append(_ error: SecureChannelError) { errors.withLock { $0.append(error) } }
        var all: [SecureChannelError] { errors.withLock { $0 } }
    }

    static let signing: Sodium.SigningKeyPair? = try? Sodium.signKeyPair(seed: [UInt8](0..<32))

    /// An active channel with the handler, and the failures it reported.
    private func makeChannel() throws -> (EmbeddedChannel, FailureLog, Sodium.SigningKeyPair) {
        let signing = try #require(Self.signing)
        let failures = FailureLog()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            SecureChannelHandler(
                handshake: try SecureChannelServerHandshake(signingSecretKey: signing.secretKey),
                onFailure: { error in failures.append(error) }))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return (channel, failures, signing)
    }

    private func payload(_ message: Hbb_RendezvousMessage) throws -> ByteBuffer {
        ByteBuffer(bytes: try message.serializedBytes() as [UInt8])
    }

    private func outbound(_ channel: EmbeddedChannel) throws -> [UInt8]? {
        try channel.readOutbound(as: ByteBuffer.self).map { Array($0.readableBytesView) }
    }

    private func inbound(_ channel: EmbeddedChannel) throws -> [UInt8]? {
        try channel.readInbound(as: ByteBuffer.self).map { Array($0.readableBytesView) }
    }

    /// Reads the offer and answers it; returns the client's cipher.
    private func secure(_ channel: EmbeddedChannel, _ signing: Sodium.SigningKeyPair) throws -> SecureChannelCipher {
        let offer = try Hbb_RendezvousMessage(serializedBytes: try #require(try outbound(channel)))
        let client = try SecureChannelClientHandshake(
            serverKeys: offer.keyExchange.keys.map { Array($0) }, serverPublicKey: signing.publicKey)
        try channel.writeInbound(
            try payload(.with { $0.keyExchange = .with { $0.keys = client.replyKeys.map { Data($0) } } }))
        #expect(try inbound(channel) == nil)
        return client.cipher
    }

    @Test func sealsAndOpensAfterTheHandshake() throws {
        let (channel, failures, signing) = try makeChannel()
        var client = try secure(channel, signing)
        try channel.writeInbound(ByteBuffer(bytes: try client.seal([0x3A, 0x02, 0x10, 0x01])))
        #expect(try inbound(channel) == [0x3A, 0x02, 0x10, 0x01])
        try channel.writeOutbound(ByteBuffer(bytes: [7, 8, 9]))
        #expect(try client.open(try #require(try outbound(channel))) == [7, 8, 9])
        #expect(failures.all.isEmpty)
        #expect(channel.isActive)
    }

    @Test func heartbeatsPassUnencryptedBothWays() throws {
        let (channel, _, signing) = try makeChannel()
        var client = try secure(channel, signing)
        try channel.writeOutbound(ByteBuffer())
        #expect(try outbound(channel) == [])
        try channel.writeInbound(ByteBuffer())
        #expect(try inbound(channel) == [])
        // Neither heartbeat used a sequence number.
        try channel.writeOutbound(ByteBuffer(bytes: [1, 2]))
        #expect(try client.open(try #require(try outbound(channel))) == [1, 2])
        try channel.writeInbound(ByteBuffer(bytes: try client.seal([3, 4])))
        #expect(try inbound(channel) == [3, 4])
    }

    @Test func plaintextClientIsPassedThrough() throws {
        let (channel, failures, _) = try makeChannel()
        _ = try outbound(channel)
        let request = try payload(.with { $0.testNatRequest = .init() })
        try channel.writeInbound(request)
        #expect(try inbound(channel) == Array(request.readableBytesView))
        try channel.writeOutbound(ByteBuffer(bytes: [5, 6]))
        #expect(try outbound(channel) == [5, 6])
        #expect(failures.all.isEmpty)
    }

    @Test func replayClosesAndIsReportedOnce() throws {
        let (channel, failures, signing) = try makeChannel()
        var client = try secure(channel, signing)
        let sealed = try client.seal([1, 1])
        try channel.writeInbound(ByteBuffer(bytes: sealed))
        #expect(try inbound(channel) == [1, 1])
        try channel.writeInbound(ByteBuffer(bytes: sealed))
        _ = try? channel.writeInbound(ByteBuffer(bytes: try client.seal([2, 2])))
        #expect(try inbound(channel) == nil)
        #expect(failures.all == [.decryptionFailed])
        #expect(!channel.isActive)
    }

    @Test func garbageFirstUnitCloses() throws {
        let (channel, failures, _) = try makeChannel()
        try channel.writeInbound(ByteBuffer(bytes: [0xFF, 0xFF]))
        #expect(try inbound(channel) == nil)
        #expect(failures.all == [.malformedReply])
        #expect(!channel.isActive)
    }

    @Test func offerIsTheOnlyUnsolicitedUnit() throws {
        let (channel, _, signing) = try makeChannel()
        let offer = try Hbb_RendezvousMessage(serializedBytes: try #require(try outbound(channel)))
        #expect(offer.keyExchange.keys.count == 1)
        let opened = try Sodium.open(
            signed: Array(try #require(offer.keyExchange.keys.first)), publicKey: signing.publicKey)
        #expect(opened.count == 32)
        #expect(try outbound(channel) == nil)
    }
}
