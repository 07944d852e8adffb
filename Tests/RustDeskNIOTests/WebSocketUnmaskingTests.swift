import NIOCore
import NIOWebSocket
import RustDeskNIO
import Testing

/// The wide unmasking must give exactly NIO's byte-by-byte result for every length, key and offset.
@Suite struct WebSocketUnmaskingTests {
    @Test func matchesNIOForEveryLengthAndOffset() {
        var generator = SystemRandomNumberGenerator()
        for length in Array(0...70) + [1023, 4096, 65_537] {
            for extensionLength in 0..<4 {
                let payload = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let key = WebSocketMaskingKey.random(using: &generator)
                let extensionData = extensionLength == 0 ? nil : ByteBuffer(repeating: 7, count: extensionLength)
                let frame = WebSocketFrame(
                    fin: true, opcode: .binary, maskKey: key, data: ByteBuffer(bytes: payload),
                    extensionData: extensionData)
                #expect(frame.fastUnmaskedData == frame.unmaskedData, "length \(length), extension \(extensionLength)")
            }
        }
    }

    @Test func unmaskedFramesAndSlicesPassUnchanged() {
        var buffer = ByteBuffer(bytes: Array(0..<100))
        buffer.moveReaderIndex(forwardBy: 3)
        let plain = WebSocketFrame(fin: true, opcode: .binary, data: buffer)
        #expect(plain.fastUnmaskedData == buffer)
        // A payload that is a slice of a bigger buffer, as the decoder produces.
        let key: WebSocketMaskingKey = [1, 2, 3, 4]
        let sliced = WebSocketFrame(fin: true, opcode: .binary, maskKey: key, data: buffer)
        #expect(sliced.fastUnmaskedData == sliced.unmaskedData)
        #expect(sliced.data == buffer, "the frame's own data must not change")
    }
}
