import Benchmark
import Foundation
import NIOCore
import RendezvousProtocol
import RendezvousCore
import RustDeskCore
import RustDeskNIO
import SwiftProtobuf

// Wire codecs on the per-message paths: the TCP frame header, protobuf decode/encode of the messages
// hbbs sees most (the UDP heartbeat, the punch-hole request), the NIO frame decoder and AddrMangle.
// Inner loops of 1000 keep the harness's own overhead out of nanosecond-scale results; the times
// and allocation counts reported are per inner iteration.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: 1000
    )

    // MARK: Frame header (FrameCodec)

    let smallPayload = [UInt8](repeating: 0x5A, count: 32)
    Benchmark("Frame encode+parse, 32 B payload") { benchmark in
        for _ in benchmark.scaledIterations {
            let frame = try FrameCodec.encode(smallPayload)
            blackHole(try FrameCodec.parse(frame))
        }
    }

    // 64 KiB takes a 3-byte header; the encode copies the payload, as a relayed chunk would be.
    let largePayload = [UInt8](repeating: 0x5A, count: 64 * 1024)
    Benchmark("Frame encode+parse, 64 KiB payload", configuration: .init(scalingFactor: .one)) { benchmark in
        for _ in benchmark.scaledIterations {
            let frame = try FrameCodec.encode(largePayload)
            blackHole(try FrameCodec.parse(frame))
        }
    }

    // MARK: Protobuf (Hbb_RendezvousMessage)

    // The UDP heartbeat datagram exactly as a client sends it: a 10-digit ID and a config serial.
    let registerPeerDatagram = try! Hbb_RendezvousMessage.with {
        $0.registerPeer = .with {
            $0.id = "1234567890"
            $0.serial = 7
        }
    }.byteBuffer(allocator: ByteBufferAllocator())
    Benchmark("Decode RendezvousMessage(RegisterPeer)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Hbb_RendezvousMessage(buffer: registerPeerDatagram))
        }
    }

    // A PunchHoleRequest with the fields a current client fills in, licence key and IPv6 address included.
    let punchHoleRequestPayload = try! Hbb_RendezvousMessage.with {
        $0.punchHoleRequest = .with {
            $0.id = "1234567890"
            $0.natType = .asymmetric
            $0.licenceKey = "OeVuKk5nlHiXp+APNn0Y3pC1Iwpwn44JGqrQCsWqmBw="
            $0.connType = .defaultConn
            $0.version = "1.4.2"
            $0.udpPort = 21_116
            $0.socketAddrV6 = Data(
                AddrMangle.encode(SocketAddr(ip: .v6(0x2001_0db8 << 96 | 0x42), port: 50_123), timestamp: 0))
        }
    }.byteBuffer(allocator: ByteBufferAllocator())
    Benchmark("Decode RendezvousMessage(PunchHoleRequest)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Hbb_RendezvousMessage(buffer: punchHoleRequestPayload))
        }
    }

    // The generic send path (hbbs caches these two replies, but every other reply goes this way).
    let allocator = ByteBufferAllocator()
    Benchmark("Encode RendezvousMessage(RegisterPeerResponse) to ByteBuffer") { benchmark in
        for _ in benchmark.scaledIterations {
            let message = Hbb_RendezvousMessage.with { $0.registerPeerResponse = .with { $0.requestPk = true } }
            blackHole(try message.byteBuffer(allocator: allocator))
        }
    }

    // MARK: NIO frame decoder

    // One TCP read holding 1000 frames of 40 B each: the decoder's loop as ByteToMessageHandler runs it.
    let frameCount = 1000
    var stream = allocator.buffer(capacity: frameCount * 41)
    for _ in 0..<frameCount {
        stream.writeBytes(try! FrameCodec.encode([UInt8](repeating: 0xA5, count: 40)))
    }
    let framedStream = stream
    Benchmark(
        "FrameDecoder, 1000 frames of 40 B in one ByteBuffer",
        configuration: .init(timeUnits: .microseconds, scalingFactor: .one)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            var decoder = FrameDecoder()
            var buffer = framedStream
            var decoded = 0
            while let frame = try decoder.decode(buffer: &buffer) {
                decoded += frame.readableBytes
            }
            precondition(decoded == frameCount * 40)
            blackHole(decoded)
        }
    }

    // MARK: AddrMangle

    let ipv4 = SocketAddr(ip: IPAddress(v4Octets: 203, 0, 113, 7), port: 50_123)
    let ipv6 = SocketAddr(ip: .v6(0x2001_0db8_0000_0000 << 64 | 0x0000_0000_0000_0042), port: 50_123)
    let mangledIPv4 = Data(AddrMangle.encode(ipv4, timestamp: 0x1234_5678))
    let mangledIPv6 = Data(AddrMangle.encode(ipv6, timestamp: 0x1234_5678))
    precondition(AddrMangle.decode(mangledIPv4) == ipv4 && AddrMangle.decode(mangledIPv6) == ipv6)

    Benchmark("AddrMangle encode IPv4") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(AddrMangle.encode(ipv4, timestamp: 0x1234_5678))
        }
    }
    // Decoded from Data, as the handlers read the socket_addr field.
    Benchmark("AddrMangle decode IPv4") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(AddrMangle.decode(mangledIPv4))
        }
    }
    Benchmark("AddrMangle encode IPv6") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(AddrMangle.encode(ipv6, timestamp: 0x1234_5678))
        }
    }
    Benchmark("AddrMangle decode IPv6") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(AddrMangle.decode(mangledIPv6))
        }
    }
}
