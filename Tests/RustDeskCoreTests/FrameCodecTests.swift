import TestSupport
import Testing

@testable import RustDeskCore

@Suite struct FrameCodecTests {
    /// wire.md §2.2 header vectors: payload length → minimal header.
    static let headerVectors: [(Int, String)] = [
        (0, "00"), (1, "04"), (5, "14"), (63, "fc"), (64, "01 01"), (100, "91 01"), (300, "b1 04"),
        (16383, "fd ff"), (16384, "02 00 01"), (65535, "fe ff 03"), (4_194_303, "fe ff ff"),
        (4_194_304, "03 00 00 01"), (1_073_741_823, "ff ff ff ff"),
    ]

    @Test(arguments: headerVectors)
    func encodesMinimalHeader(length: Int, expected: String) throws {
        #expect(try FrameCodec.header(forPayloadLength: length) == hex(expected))
    }

    @Test(arguments: headerVectors)
    func parsesHeaderVector(length: Int, header: String) throws {
        // Only the header is present: the parser must ask for more data unless the payload is empty,
        // and it must never need the payload to decide that.
        let parse = try FrameCodec.parse(hex(header), maximumPayload: FrameCodec.maximumEncodablePayload)
        if length == 0 {
            #expect(parse == .frame(headerLength: 1, payloadLength: 0))
        } else {
            #expect(parse == .needMoreData)
        }
    }

    @Test func refusesOverflowingPayload() {
        #expect(throws: FrameError.payloadTooLarge(1_073_741_824)) {
            try FrameCodec.header(forPayloadLength: 1_073_741_824)
        }
    }

    @Test(arguments: [
        ("14 82 01 02 08 06", "82 01 02 08 06"),
        ("1c aa 01 04 08 a2 90 03", "aa 01 04 08 a2 90 03"),
        ("3c 32 0d 0a 09 31 32 33 34 35 36 37 38 39 10 03", "32 0d 0a 09 31 32 33 34 35 36 37 38 39 10 03"),
    ])
    func completeFramesRoundTrip(frame: String, payload: String) throws {
        #expect(try FrameCodec.encode(hex(payload)) == hex(frame))
        let bytes = hex(frame)
        let parse = try FrameCodec.parse(bytes)
        guard case .frame(let headerLength, let payloadLength) = parse else {
            Issue.record("expected a frame, got \(parse)")
            return
        }
        #expect(Array(bytes[headerLength..<headerLength + payloadLength]) == hex(payload))
    }

    @Test(arguments: [
        ("01 00", 2, 0),  // two-byte header for an empty payload
        ("02 00 00", 3, 0),
        ("03 00 00 00", 4, 0),
        ("07 00 00 00 aa", 4, 1),  // four-byte header for one byte
        ("05 00 aa", 2, 1),
    ])
    func acceptsNonMinimalHeaders(bytes: String, headerLength: Int, payloadLength: Int) throws {
        #expect(try FrameCodec.parse(hex(bytes)) == .frame(headerLength: headerLength, payloadLength: payloadLength))
    }

    @Test func refusesDeclaredLengthAboveMaximumBeforePayloadArrives() {
        // Header announcing 1 GiB − 1 with a 1 MiB limit: refused from the 4 header bytes alone.
        #expect(throws: FrameError.frameTooLarge(declared: 1_073_741_823, maximum: 1 << 20)) {
            try FrameCodec.parse(hex("ff ff ff ff"), maximumPayload: 1 << 20)
        }
    }

    @Test func waitsForTruncatedHeaderAndPayload() throws {
        let frame = try FrameCodec.encode([UInt8](repeating: 7, count: 300))
        for cut in 0..<frame.count {
            #expect(try FrameCodec.parse(frame.prefix(cut)) == .needMoreData)
        }
        #expect(try FrameCodec.parse(frame) == .frame(headerLength: 2, payloadLength: 300))
    }

    @Test func randomInputNeverTraps() {
        var generator = SplitMix64(seed: 0x5EED)
        for _ in 0..<20_000 {
            let count = Int(generator.next() % 12)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let maximum = Int(generator.next() % (1 << 31))
            switch Result(catching: { () throws(FrameError) in try FrameCodec.parse(bytes, maximumPayload: maximum) }) {
            case .success(.frame(let headerLength, let payloadLength)):
                #expect(headerLength + payloadLength <= bytes.count)
                #expect(payloadLength <= maximum)
            case .success(.needMoreData):
                break
            case .failure(.frameTooLarge(let declared, let limit)):
                #expect(declared > limit)
            case .failure(let error):
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func encodeThenParseRoundTripsRandomLengths() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2_000 {
            let length = Int(generator.next() % 70_000)
            let header = try FrameCodec.header(forPayloadLength: length)
            let parse = try FrameCodec.parse(header + [UInt8](repeating: 0, count: length))
            #expect(parse == .frame(headerLength: header.count, payloadLength: length))
        }
    }
}
