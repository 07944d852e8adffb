import RendezvousProtocol
import SwiftProtobuf

#if canImport(Glibc)
    import Glibc
#endif

/// Heartbeat latency of an hbbs at a fixed offered rate, without busy-waiting.
///
/// `rdload udp-register --rate` spins on its CPU between sends; run beside a second generator on the
/// same core (the registration load of `scripts/bench-commit-under-load.sh`), the scheduler then
/// preempts it for whole time slices and its percentiles measure the generator, not the server. This
/// probe sleeps until each send is due (ppoll with a 1 µs timer slack) and measures from the scheduled
/// send time, so a late send counts against the server like a late reply (no coordinated omission).
///
/// usage: heartbeat-probe --port P [--peers 1000] [--sockets 256] [--rate 20000] [--duration 5] [--label L]
///        [--samples FILE]
@main
struct HeartbeatProbe {
    static func main() throws {
        let options = try ProbeOptions(CommandLine.arguments.dropFirst())
        setTimerSlack(nanoseconds: 1)
        let sockets = try ProbeSockets(count: options.sockets, port: options.port)
        let peers = try (0..<options.peers).map { try Datagrams(id: String(2_000_000_000 + $0)) }
        try register(peers, sockets: sockets)
        let samples = run(peers, sockets: sockets, options: options)
        samples.report(label: options.label, rate: options.rate)
        if let path = options.samplesPath { try samples.append(toFile: path) }
    }

    /// Every peer registers once like a client (RegisterPeer, then RegisterPk when asked), so the
    /// measured heartbeats find known peers.
    static func register(_ peers: [Datagrams], sockets: ProbeSockets) throws {
        for (index, peer) in peers.enumerated() {
            let socket = index % sockets.count
            guard let reply = sockets.exchange(peer.registerPeer, on: socket) else { throw ProbeError.noReply }
            if (try? Hbb_RendezvousMessage(serializedBytes: reply))?.registerPeerResponse.requestPk == true {
                guard sockets.exchange(peer.registerPk, on: socket) != nil else { throw ProbeError.noReply }
            }
        }
    }

    static func run(_ peers: [Datagrams], sockets: ProbeSockets, options: ProbeOptions) -> Samples {
        var samples = Samples()
        // One outstanding heartbeat per socket; its scheduled send time, or nil when idle.
        var outstanding = [UInt64?](repeating: nil, count: sockets.count)
        let interval = 1_000_000_000 / UInt64(options.rate)
        let start = monotonicNanoseconds()
        let end = start + UInt64(options.duration * 1_000_000_000)
        var nextSend = start
        var nextSocket = 0
        var nextPeer = 0
        while true {
            var now = monotonicNanoseconds()
            // Send everything that is due, each stamped with its scheduled time.
            while nextSend <= now, nextSend < end {
                if outstanding[nextSocket] == nil, sockets.send(peers[nextPeer].registerPeer, on: nextSocket) {
                    outstanding[nextSocket] = nextSend
                    samples.sent += 1
                } else {
                    samples.skipped += 1
                }
                nextSocket = (nextSocket + 1) % sockets.count
                nextPeer = (nextPeer + 1) % peers.count
                nextSend += interval
            }
            if nextSend >= end, now >= end + 500_000_000 { break }
            let wait = nextSend < end ? nextSend - min(now, nextSend) : 50_000_000
            for socket in sockets.poll(timeoutNanoseconds: wait) {
                now = monotonicNanoseconds()
                while sockets.receive(on: socket) {
                    if let sentAt = outstanding[socket] {
                        samples.latencies.append(now - sentAt)
                        outstanding[socket] = nil
                    }
                }
            }
        }
        samples.lost = outstanding.compactMap { $0 }.count
        return samples
    }
}

enum ProbeError: Error {
    case usage(String)
    case socket(String)
    case noReply
}

/// Sleeps end up to 50 µs late by default (timer slack); ask for 1 ns. Best effort.
func setTimerSlack(nanoseconds: Int) {
    let fd = open("/proc/self/timerslack_ns", O_WRONLY)
    guard fd >= 0 else { return }
    defer { close(fd) }
    let text = Array("\(nanoseconds)".utf8)
    _ = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}

func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}
