import NIOCore
import NIOWebSocket
import Synchronization

/// Payload bytes side B received after the pairing proof; read by the measuring task off the loop.
final class ByteCounter: Sendable {
    private let value = Atomic(0)

    func add(_ bytes: Int) { value.add(bytes, ordering: .relaxed) }

    var bytes: Int { value.load(ordering: .relaxed) }
}

enum LoadError: Error, CustomStringConvertible {
    case timeout(String)
    case tokenMismatch
    case closed(String)
    case upgradeFailed

    var description: String {
        switch self {
        case .timeout(let what): "timed out: \(what)"
        case .tokenMismatch: "side B received bytes other than the token: the relay did not pair A with B"
        case .closed(let what): "connection closed: \(what)"
        case .upgradeFailed: "WebSocket upgrade failed"
        }
    }
}

/// The pairing proof on side B: the first 16 bytes relayed must be A's token.
struct PairingProof {
    let token: [UInt8]
    let promise: EventLoopPromise<Void>
    private var received: [UInt8] = []
    private(set) var isDone = false

    init(token: [UInt8], promise: EventLoopPromise<Void>) {
        self.token = token
        self.promise = promise
    }

    /// Takes the token's bytes from the front of `buffer`; what is left there is bulk payload.
    mutating func consume(_ buffer: inout ByteBuffer) {
        let take = min(token.count - received.count, buffer.readableBytes)
        received += buffer.readBytes(length: take) ?? []
        guard received.count == token.count else { return }
        isDone = true
        if received == token { promise.succeed() } else { promise.fail(LoadError.tokenMismatch) }
    }

    mutating func fail(_ error: any Error) {
        guard !isDone else { return }
        isDone = true
        promise.fail(error)
    }
}

/// Side B on TCP (raw relay): checks the token, then counts every byte.
final class TCPReceiver: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var proof: PairingProof
    private let counter: ByteCounter

    init(proof: PairingProof, counter: ByteCounter) {
        self.proof = proof
        self.counter = counter
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if !proof.isDone { proof.consume(&buffer) }
        counter.add(buffer.readableBytes)
    }

    func channelInactive(context: ChannelHandlerContext) {
        proof.fail(LoadError.closed("side B before the pairing proof"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        proof.fail(error)
        context.close(promise: nil)
    }
}

/// Side B on WebSocket: the first binary message must be the token, then every binary message's
/// payload is counted (frames from the server are unmasked, so the payload is used as received).
final class WebSocketReceiver: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame

    private var proof: PairingProof
    private let counter: ByteCounter

    init(proof: PairingProof, counter: ByteCounter) {
        self.proof = proof
        self.counter = counter
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary, .continuation:
            if proof.isDone {
                counter.add(frame.length)
            } else {
                var payload = frame.unmaskedData
                guard payload.readableBytes == proof.token.count else { return proof.fail(LoadError.tokenMismatch) }
                proof.consume(&payload)
            }
        case .connectionClose:
            context.close(promise: nil)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        proof.fail(LoadError.closed("side B before the pairing proof"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        proof.fail(error)
        context.close(promise: nil)
    }
}

/// Tells side A's `BulkSender` to start writing.
struct StartBulk: Sendable {}

/// What side A writes, one unit per write.
enum BulkUnits: Sendable {
    /// The same buffer every time (TCP raw relay: no framing, writing it does not copy).
    case raw(ByteBuffer)
    /// A freshly masked binary WebSocket frame each time.
    case webSocket(MaskedBinaryFrames)

    func next(allocator: ByteBufferAllocator) -> ByteBuffer {
        switch self {
        case .raw(let buffer): buffer
        case .webSocket(let frames): frames.frame(allocator: allocator)
        }
    }
}

/// Side A: once started, writes units as fast as the socket takes them. It queues while the channel
/// is writable (above the high-water mark it is not), flushes, and resumes when writability returns,
/// so at most the write buffer's high-water mark is held in memory.
///
/// It writes encoded bytes: on a WebSocket it sits first in the pipeline, before NIO's frame encoder,
/// whose byte-at-a-time masking would make this generator, not the server, the bottleneck.
final class BulkSender: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let units: BulkUnits
    private var running = false
    /// Guards against re-entry: a flush can fire `channelWritabilityChanged` synchronously.
    private var pumping = false

    init(units: BulkUnits) {
        self.units = units
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is StartBulk else { return context.fireUserInboundEventTriggered(event) }
        running = true
        pump(context: context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        pump(context: context)
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        running = false
        context.fireChannelInactive()
    }

    private func pump(context: ChannelHandlerContext) {
        guard running, !pumping else { return }
        pumping = true
        defer { pumping = false }
        while running, context.channel.isActive, context.channel.isWritable {
            while context.channel.isWritable {
                context.write(wrapOutboundOut(units.next(allocator: context.channel.allocator)), promise: nil)
            }
            context.flush()
        }
    }
}
