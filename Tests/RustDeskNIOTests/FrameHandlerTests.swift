import NIOCore
import NIOEmbedded
import RustDeskCore
import Testing

@testable import RustDeskNIO

@Suite struct FrameHandlerTests {
    private func makeChannel(maximumPayload: Int = FrameCodec.defaultMaximumPayload) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(FrameDecoder(maximumPayload: maximumPayload)))
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(FrameEncoder()))
        return channel
    }

    private func inbound(_ channel: EmbeddedChannel) throws -> [[UInt8]] {
        var frames: [[UInt8]] = []
        while let buffer = try channel.readInbound(as: ByteBuffer.self) {
            frames.append(Array(buffer.readableBytesView))
        }
        return frames
    }

    @Test func decodesFramesSplitAcrossEveryBoundary() throws {
        let payloads: [[UInt8]] = [
            [], [1], Array(repeating: 2, count: 63), Array(repeating: 3, count: 64),
            Array(repeating: 4, count: 20_000),
        ]
        let stream = try payloads.flatMap { try FrameCodec.encode($0) }
        for chunkSize in [1, 2, 3, 7, 64, 1000, stream.count] {
            let channel = try makeChannel()
            var offset = 0
            while offset < stream.count {
                let end = min(offset + chunkSize, stream.count)
                try channel.writeInbound(ByteBuffer(bytes: stream[offset..<end]))
                offset = end
            }
            #expect(try inbound(channel) == payloads, "chunk size \(chunkSize)")
            _ = try channel.finish()
        }
    }

    @Test func encodesWithMinimalHeader() throws {
        let channel = try makeChannel()
        try channel.writeOutbound(ByteBuffer(bytes: [0x82, 0x01, 0x02, 0x08, 0x06]))
        let out = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(out.readableBytesView) == [0x14, 0x82, 0x01, 0x02, 0x08, 0x06])
        _ = try channel.finish()
    }

    @Test func oversizedHeaderFailsBeforePayloadArrives() throws {
        let channel = try makeChannel(maximumPayload: 1024)
        #expect(throws: FrameError.frameTooLarge(declared: 1025, maximum: 1024)) {
            try channel.writeInbound(ByteBuffer(bytes: try FrameCodec.header(forPayloadLength: 1025)))
        }
        _ = try? channel.finish()
    }

    @Test func hostileStreamsNeverCrashOrHang() throws {
        var state: UInt64 = 0xC0FFEE
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        for _ in 0..<3_000 {
            let channel = try makeChannel(maximumPayload: 4096)
            let count = Int(next() % 64)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
            do {
                try channel.writeInbound(ByteBuffer(bytes: bytes))
                for frame in try inbound(channel) { #expect(frame.count <= 4096) }
            } catch let error as FrameError {
                guard case .frameTooLarge(let declared, let maximum) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(declared > maximum)
            }
            _ = try? channel.finish()
        }
    }
}
