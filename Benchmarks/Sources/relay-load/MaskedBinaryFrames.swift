import NIOCore

/// Client-to-server binary WebSocket frames (RFC 6455 §5.2), FIN set, masked with a fresh random key
/// per frame as §5.3 requires. The payload is a fixed pattern; masking works eight bytes at a time.
struct MaskedBinaryFrames: Sendable {
    let payload: [UInt8]

    init(payloadBytes: Int) {
        payload = payloadPattern(count: payloadBytes)
    }

    func frame(allocator: ByteBufferAllocator) -> ByteBuffer {
        let count = payload.count
        var buffer = allocator.buffer(capacity: 14 + count)
        buffer.writeInteger(UInt8(0x82))  // FIN, opcode binary
        switch count {
        case ...125:
            buffer.writeInteger(UInt8(0x80 | count))
        case ...0xFFFF:
            buffer.writeInteger(UInt8(0x80 | 126))
            buffer.writeInteger(UInt16(count))
        default:
            buffer.writeInteger(UInt8(0x80 | 127))
            buffer.writeInteger(UInt64(count))
        }
        let key = UInt32.random(in: .min ... .max)
        buffer.writeInteger(key)  // the masking key's bytes, most significant first
        // The key's bytes as they lie in memory, twice over a word: word-wise XOR then applies
        // key[i % 4] to payload byte i on any byte order.
        let half = UInt64(key.bigEndian)
        let wordKey = half | half << 32
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { out in
            payload.withUnsafeBytes { source in
                var index = 0
                while index + 8 <= count {
                    let word = source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    out.storeBytes(of: word ^ wordKey, toByteOffset: index, as: UInt64.self)
                    index += 8
                }
                while index < count {
                    out[index] = source[index] ^ UInt8(truncatingIfNeeded: key >> (24 - 8 * (index % 4)))
                    index += 1
                }
            }
            return count
        }
        return buffer
    }
}

/// `count` pseudo-random bytes (xorshift), the same every run: payload that does not compress.
func payloadPattern(count: Int) -> [UInt8] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt8(truncatingIfNeeded: state)
    }
}
