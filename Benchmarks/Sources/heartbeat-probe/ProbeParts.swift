import RendezvousProtocol
import SwiftProtobuf

#if canImport(Glibc)
    import Glibc
#endif

struct ProbeOptions {
    var port: UInt16 = 0
    var peers = 1000
    var sockets = 256
    var rate = 20_000
    var duration = 5.0
    var label = ""
    /// Appends every latency (µs, one per line) here, so runs in alternating windows can be pooled.
    var samplesPath: String?

    init(_ arguments: ArraySlice<String>) throws {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw ProbeError.usage("\(flag) needs a value") }
            switch flag {
            case "--port": port = UInt16(value) ?? 0
            case "--peers": peers = Int(value) ?? 0
            case "--sockets": sockets = Int(value) ?? 0
            case "--rate": rate = Int(value) ?? 0
            case "--duration": duration = Double(value) ?? 0
            case "--label": label = value
            case "--samples": samplesPath = value
            default: throw ProbeError.usage("unknown option \(flag)")
            }
        }
        guard port != 0, peers > 0, sockets > 0, rate > 0, duration > 0 else {
            throw ProbeError.usage(
                "heartbeat-probe --port P [--peers N] [--sockets S] [--rate R] [--duration S] [--samples FILE]")
        }
    }
}

/// The two datagrams a peer sends, encoded once.
struct Datagrams {
    let registerPeer: [UInt8]
    let registerPk: [UInt8]

    init(id: String) throws {
        registerPeer = try Hbb_RendezvousMessage.with { $0.registerPeer = .with { $0.id = id } }.serializedBytes()
        let uuid = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let pk = (0..<32).map { _ in UInt8.random(in: 0...255) }
        registerPk = try Hbb_RendezvousMessage.with {
            $0.registerPk = .with {
                $0.id = id
                $0.uuid = .init(uuid)
                $0.pk = .init(pk)
            }
        }.serializedBytes()
    }
}

/// Non-blocking UDP sockets connected to 127.0.0.1:port, each with its own source port.
final class ProbeSockets {
    private var descriptors: [Int32] = []
    private var pollSet: [pollfd] = []
    private var buffer = [UInt8](repeating: 0, count: 2048)

    var count: Int { descriptors.count }

    init(count: Int, port: UInt16) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else { throw ProbeError.socket("socket: errno \(errno)") }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { throw ProbeError.socket("connect: errno \(errno)") }
            descriptors.append(fd)
            pollSet.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
        }
    }

    deinit { for fd in descriptors { close(fd) } }

    func send(_ datagram: [UInt8], on socket: Int) -> Bool {
        datagram.withUnsafeBytes { Glibc.send(descriptors[socket], $0.baseAddress, $0.count, 0) } == datagram.count
    }

    /// Reads one datagram if one is waiting; true when it did.
    func receive(on socket: Int) -> Bool {
        buffer.withUnsafeMutableBytes { recv(descriptors[socket], $0.baseAddress, $0.count, 0) } > 0
    }

    /// Sends and waits up to a second for the reply (registration before the measurement).
    func exchange(_ datagram: [UInt8], on socket: Int) -> [UInt8]? {
        for _ in 0..<3 {
            guard send(datagram, on: socket) else { continue }
            var single = pollfd(fd: descriptors[socket], events: Int16(POLLIN), revents: 0)
            guard Glibc.poll(&single, 1, 1000) == 1 else { continue }
            let received = buffer.withUnsafeMutableBytes { recv(descriptors[socket], $0.baseAddress, $0.count, 0) }
            if received > 0 { return Array(buffer[0..<received]) }
        }
        return nil
    }

    /// Sockets with a datagram waiting, after sleeping at most `timeoutNanoseconds`.
    func poll(timeoutNanoseconds: UInt64) -> [Int] {
        var timeout = timespec(
            tv_sec: Int(timeoutNanoseconds / 1_000_000_000), tv_nsec: Int(timeoutNanoseconds % 1_000_000_000))
        let ready = systemPPoll(&pollSet, nfds_t(pollSet.count), &timeout, nil)
        guard ready > 0 else { return [] }
        return pollSet.indices.filter { pollSet[$0].revents & Int16(POLLIN) != 0 }
    }
}

/// ppoll(2): poll with a nanosecond timeout. Glibc's module map leaves it out (it is a GNU
/// extension of <poll.h>), so it is declared here by its C symbol.
@_silgen_name("ppoll")
func systemPPoll(
    _ fds: UnsafeMutablePointer<pollfd>, _ count: nfds_t, _ timeout: UnsafePointer<timespec>?,
    _ signalMask: UnsafeRawPointer?
) -> Int32

struct Samples {
    var latencies: [UInt64] = []
    var sent = 0
    var skipped = 0
    var lost = 0

    func report(label: String, rate: Int) {
        let sorted = latencies.sorted()
        func percentile(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let index = min(sorted.count - 1, Int(Double(sorted.count) * fraction))
            return Double(sorted[index]) / 1000
        }
        let line = [
            "RESULT mode=heartbeat-probe label=\(label) rate=\(rate) sent=\(sent) replies=\(latencies.count)",
            "lost=\(lost) skipped=\(skipped)",
            "p50_us=\(format(percentile(0.5))) p99_us=\(format(percentile(0.99))) p999_us=\(format(percentile(0.999)))",
        ]
        print(line.joined(separator: " "))
    }

    /// Appends the latencies in microseconds, one per line.
    func append(toFile path: String) throws {
        guard let file = fopen(path, "a") else { throw ProbeError.socket("cannot open \(path)") }
        defer { fclose(file) }
        for latency in latencies { fputs("\(latency / 1000)\n", file) }
    }

    private func format(_ value: Double) -> String {
        value.isNaN ? "nan" : String(Int(value.rounded()))
    }
}
