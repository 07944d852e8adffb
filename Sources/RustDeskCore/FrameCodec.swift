/// Errors of the TCP frame codec ("BytesCodec", spec/wire.md §2.2).
public enum FrameError: Error, Equatable, Sendable {
    /// The payload is larger than the 30-bit length field can express; nothing is sent.
    case payloadTooLarge(Int)
    /// A received header declares more than the configured maximum; the connection must close.
    case frameTooLarge(declared: Int, maximum: Int)
}

/// The pure half of the length-prefixed TCP framing: a 1–4 byte little-endian header whose two low
/// bits give the header length minus one and whose remaining bits give the payload length.
///
/// Decoding never allocates from a declared length: it only reports how many bytes a frame needs,
/// so callers buffer what has actually arrived.
public enum FrameCodec {
    /// The largest payload the header can describe (2^30 − 1).
    public static let maximumEncodablePayload = 0x3FFF_FFFF
    /// Default limit for received frames: large enough for key frames and file chunks relayed in
    /// framed mode (the spec recommends accepting at least 64 MiB).
    public static let defaultMaximumPayload = 64 * 1024 * 1024

    /// The smallest header for a payload of `length` bytes.
    public static func header(forPayloadLength length: Int) throws(FrameError) -> [UInt8] {
        guard length >= 0, length <= maximumEncodablePayload else { throw .payloadTooLarge(length) }
        let value = UInt32(length) << 2
        switch length {
        case ...0x3F: return [UInt8(truncatingIfNeeded: value)]
        case ...0x3FFF: return littleEndian(value | 1, count: 2)
        case ...0x3F_FFFF: return littleEndian(value | 2, count: 3)
        default: return littleEndian(value | 3, count: 4)
        }
    }

    /// The header length (1–4) announced by a frame's first byte.
    @inline(__always)
    public static func headerLength(firstByte: UInt8) -> Int { Int(firstByte & 3) + 1 }

    public static func encode(_ payload: [UInt8]) throws(FrameError) -> [UInt8] {
        try header(forPayloadLength: payload.count) + payload
    }

    /// What a buffer's prefix holds.
    public enum Parse: Equatable, Sendable {
        /// Not enough bytes yet for the header, or for the payload it announces.
        case needMoreData
        /// A whole frame: its payload is `bytes[headerLength ..< headerLength + payloadLength]`.
        case frame(headerLength: Int, payloadLength: Int)
    }

    /// Parses the frame at the start of `bytes`. Accepts non-minimal headers; throws when the
    /// declared payload exceeds `maximumPayload`, before any payload byte is needed.
    public static func parse(
        _ bytes: some Collection<UInt8>, maximumPayload: Int = defaultMaximumPayload
    ) throws(FrameError) -> Parse {
        guard let first = bytes.first else { return .needMoreData }
        let headerLength = headerLength(firstByte: first)
        var value: UInt32 = 0
        var index = 0
        for byte in bytes.prefix(headerLength) {
            value |= UInt32(byte) << (8 * index)
            index += 1
        }
        guard index == headerLength else { return .needMoreData }
        let payloadLength = Int(value >> 2)
        guard payloadLength <= maximumPayload else {
            throw .frameTooLarge(declared: payloadLength, maximum: maximumPayload)
        }
        guard bytes.count - headerLength >= payloadLength else { return .needMoreData }
        return .frame(headerLength: headerLength, payloadLength: payloadLength)
    }

    private static func littleEndian(_ value: UInt32, count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
