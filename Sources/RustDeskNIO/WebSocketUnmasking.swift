import NIOCore
import NIOWebSocket

extension WebSocketFrame {
    /// The payload with the client's mask removed, 32 bytes at a time. NIO's `unmaskedData` XORs one
    /// byte per step (with a modulo each); on a relayed WebSocket pair that loop was two thirds of
    /// hbbr's CPU time. Same result, including the extension-data offset NIO applies.
    public var fastUnmaskedData: ByteBuffer {
        guard let maskKey else { return data }
        var payload = data
        let offset = (extensionData?.readableBytes ?? 0) % 4
        let key = Array(maskKey)
        payload.withUnsafeMutableReadableBytes { raw in
            WebSocketUnmasking.apply(key: key, offset: offset, to: raw)
        }
        return payload
    }
}

enum WebSocketUnmasking {
    /// XORs `bytes` with the 4-byte `key`, starting at key index `offset`.
    static func apply(key: [UInt8], offset: Int, to bytes: UnsafeMutableRawBufferPointer) {
        guard key.count == 4, let base = bytes.baseAddress else { return }
        // The key repeats every 4 bytes, so a 32-byte lane holds the same pattern at every step.
        var lane = SIMD32<UInt8>()
        for index in 0..<32 { lane[index] = key[(index + offset) & 3] }
        var position = 0
        let count = bytes.count
        while position + 32 <= count {
            let chunk = base.loadUnaligned(fromByteOffset: position, as: SIMD32<UInt8>.self)
            base.storeBytes(of: chunk ^ lane, toByteOffset: position, as: SIMD32<UInt8>.self)
            position += 32
        }
        while position < count {
            bytes[position] ^= key[(position + offset) & 3]
            position += 1
        }
    }
}
