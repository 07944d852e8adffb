import Foundation
import NIOCore
import RendezvousProtocol
import RustDeskCore

/// Secure TCP on hbbs's PORT (spec/wire.md §4.3, §4.4), between the frame codec and the message
/// handler: sends the signed KeyExchange as the connection's first unit, consumes the client's
/// two-key KeyExchange reply and from then on opens every inbound and seals every outbound payload.
/// A client whose first unit is anything else is served in plaintext, untouched.
///
/// A bad reply, an unparsable first unit or a failed MAC (which is what a replayed or reordered unit
/// produces) closes the connection and is reported through `onFailure`; nothing after it is delivered.
/// The decisions live in `SecureChannelServer`; this handler only moves bytes.
public final class SecureChannelHandler: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private var machine: SecureChannelServer
    private var offerSent = false
    private let onSecured: @Sendable () -> Void
    private let onFailure: @Sendable (SecureChannelError) -> Void

    public init(
        handshake: SecureChannelServerHandshake, onSecured: @escaping @Sendable () -> Void = {},
        onFailure: @escaping @Sendable (SecureChannelError) -> Void = { _ in }
    ) {
        machine = SecureChannelServer(handshake: handshake)
        self.onSecured = onSecured
        self.onFailure = onFailure
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { sendOffer(context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        sendOffer(context)
        context.fireChannelActive()
    }

    /// The KeyExchange goes out before anything the message handler writes.
    private func sendOffer(_ context: ChannelHandlerContext) {
        guard !offerSent else { return }
        offerSent = true
        let message = Hbb_RendezvousMessage.with { $0.keyExchange = .with { $0.keys = [Data(machine.offer)] } }
        do {
            context.writeAndFlush(
                wrapOutboundOut(try message.byteBuffer(allocator: context.channel.allocator)), promise: nil)
        } catch {
            context.close(promise: nil)
        }
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Plaintext clients cost nothing after their first unit: no copy, no decode.
        if machine.mode == .plaintext {
            context.fireChannelRead(data)
            return
        }
        let wasFailed = machine.mode == .failed
        let payload = Array(unwrapInboundIn(data).readableBytesView)
        switch machine.receive(payload, classify: Self.classify) {
        case .deliver(let plain):
            context.fireChannelRead(wrapInboundOut(context.channel.allocator.buffer(bytes: plain)))
        case .consumed:
            onSecured()
            context.fireUserInboundEventTriggered(SecureChannelEvent.secured)
        case .fail(let error):
            // Units already decoded behind the failing one arrive here too: report the failure once.
            guard !wasFailed else { return }
            onFailure(error)
            context.close(promise: nil)
        }
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch machine.mode {
        case .offered, .plaintext:
            context.write(data, promise: promise)
        case .secured, .failed:
            do {
                let sealed = try machine.send(Array(unwrapOutboundIn(data).readableBytesView))
                context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: sealed)), promise: promise)
            } catch {
                promise?.fail(error)
            }
        }
    }

    /// Only the first unit is classified: a KeyExchange starts the secure session, any other message
    /// means plaintext, and bytes that are no RendezvousMessage end the connection.
    private static func classify(_ payload: [UInt8]) -> SecureChannelServer.FirstUnit {
        guard let message = try? Hbb_RendezvousMessage(serializedBytes: payload) else { return .unparsable }
        guard case .keyExchange(let exchange) = message.union else { return .other }
        return .keyExchange(keys: exchange.keys.map { Array($0) })
    }
}
