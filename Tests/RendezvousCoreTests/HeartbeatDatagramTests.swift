import NIOCore
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import RustDeskNIO
import SwiftProtobuf
import Testing

/// The heartbeat fast path must agree with the protobuf decoder on every input it accepts, and accept
/// what clients send.
@Suite struct HeartbeatDatagramTests {
    private func fast(_ bytes: [UInt8]) -> HeartbeatDatagram.RegisterPeer? {
        bytes.withUnsafeBytes(HeartbeatDatagram.parse)
    }

    private func full(_ bytes: [UInt8]) -> HeartbeatDatagram.RegisterPeer?? {
        guard let message = try? Hbb_RendezvousMessage(serializedBytes: bytes) else { return .some(nil) }
        guard case .registerPeer(let peer) = message.union else { return nil }
        return .some(HeartbeatDatagram.RegisterPeer(id: peer.id, serial: peer.serial))
    }

    private func encoded(id: String, serial: Int32) throws -> [UInt8] {
        try Hbb_RendezvousMessage.with {
            $0.registerPeer = .with {
                $0.id = id; $0.serial = serial
            }
        }
        .serializedBytes()
    }

    @Test func acceptsWhatTheEncoderProduces() throws {
        let cases: [(String, Int32)] = [
            ("1234567890", 0), ("1234567890", 7), ("", 0), ("", 3), ("a", -1), ("peer-ü", Int32.max),
            (String(repeating: "9", count: 200), Int32.min),
        ]
        for (id, serial) in cases {
            #expect(fast(try encoded(id: id, serial: serial)) == .init(id: id, serial: serial))
        }
    }

    @Test func leavesOtherMessagesToTheDecoder() throws {
        let punch =
            try Hbb_RendezvousMessage.with { $0.punchHoleRequest = .with { $0.id = "123" } }.serializedBytes()
            as [UInt8]
        let pk = try Hbb_RendezvousMessage.with { $0.registerPk = .with { $0.id = "123" } }.serializedBytes() as [UInt8]
        #expect(fast(punch) == nil)
        #expect(fast(pk) == nil)
        #expect(fast([]) == nil)
        // Valid protobuf the fast path does not take: fields out of order, an unknown field.
        #expect(fast([0x32, 0x06, 0x10, 0x01, 0x0A, 0x02, 0x31, 0x32]) == nil)
        #expect(full([0x32, 0x06, 0x10, 0x01, 0x0A, 0x02, 0x31, 0x32]) == .some(.init(id: "12", serial: 1)))
        #expect(fast([0x32, 0x06, 0x0A, 0x02, 0x31, 0x32, 0x18, 0x01]) == nil)
        // Invalid UTF-8 in the id: the decoder rejects it, so must we.
        #expect(fast([0x32, 0x03, 0x0A, 0x01, 0xFF]) == nil)
        #expect(full([0x32, 0x03, 0x0A, 0x01, 0xFF]) == .some(nil))
    }

    @Test func neverDisagreesWithTheDecoder() throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20_000 {
            var bytes = try encoded(id: String(1_000_000_000 + round), serial: Int32(round % 5))
            // Damage some bytes, cut or extend: the fast path may refuse, but must never differ.
            for _ in 0..<Int.random(in: 0...3, using: &generator) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            switch Int.random(in: 0..<4, using: &generator) {
            case 0 where !bytes.isEmpty: bytes.removeLast(Int.random(in: 1...bytes.count, using: &generator))
            case 1: bytes.append(UInt8.random(in: 0...255, using: &generator))
            default: break
            }
            if let accepted = fast(bytes) {
                #expect(full(bytes) == .some(accepted), "bytes \(bytes)")
            }
        }
    }

    @Test func readsFromAByteBuffer() throws {
        let buffer = ByteBuffer(bytes: try encoded(id: "1234567890", serial: 2))
        #expect(buffer.withUnsafeReadableBytes(HeartbeatDatagram.parse) == .init(id: "1234567890", serial: 2))
    }
}
