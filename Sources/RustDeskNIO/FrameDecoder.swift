import NIOCore
import RustDeskCore

/// Splits a TCP byte stream into frame payloads (spec/wire.md §2.2).
///
/// Resumable across partial reads; the accumulation buffer only ever holds bytes that arrived,
/// never space reserved from a declared length. A header announcing more than `maximumPayload`
/// throws `FrameError.frameTooLarge` at once, and the pipeline closes the connection.
public struct FrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public let maximumPayload: Int

    public init(maximumPayload: Int = FrameCodec.defaultMaximumPayload) {
        self.maximumPayload = maximumPayload
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        let parse = try buffer.withUnsafeReadableBytes { bytes in
            try FrameCodec.parse(bytes, maximumPayload: maximumPayload)
        }
        guard case .frame(let headerLength, let payloadLength) = parse else { return nil }
        buffer.moveReaderIndex(forwardBy: headerLength)
        return buffer.readSlice(length: payloadLength)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        try decode(buffer: &buffer)
    }
}

/// Prepends the minimal frame header to each outbound payload.
public struct FrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = ByteBuffer

    public init() {}

    public func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        let header = try FrameCodec.header(forPayloadLength: data.readableBytes)
        out.reserveCapacity(header.count + data.readableBytes)
        out.writeBytes(header)
        out.writeImmutableBuffer(data)
    }
}
