import CSocketBatch
import Logging
import RendezvousCore
import RustDeskCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The receive loop of hbbs's UDP PORT: one thread that takes up to 32 datagrams per `recvmmsg`,
/// decides each through `UDPRegistrationService`, and sends the burst's replies with one `sendmmsg`.
///
/// Why not a NIO `DatagramChannel` like every other listener (design.md prefers NIO handlers): per
/// datagram, NIO formats the source address as text, boxes an envelope, runs the pipeline and queues
/// a pending write; on the heartbeat path that was about a quarter of the server's CPU, and it kept
/// hbbs at ~0.75 of the C reference's heartbeats per CPU-second. Here the buffers are allocated once,
/// and a heartbeat costs its two system-call shares, the parse and one shard lock.
final class UDPRegistrationLoop: Sendable {
    static let datagramsPerRead = 32
    /// Client datagrams are a few hundred bytes; a longer one is cut and then fails to parse.
    static let maximumDatagram = 2048
    /// A heartbeat may be answered twice (RegisterPeerResponse and ConfigUpdate).
    static let repliesPerDatagram = 2

    private let socket: UDPSocket
    private let service: UDPRegistrationService
    private let logger: Logger
    private let stopRequested = Atomic(false)
    /// The receiving thread, once started.
    private let thread = Mutex<DedicatedThread?>(nil)

    init(socket: UDPSocket, service: UDPRegistrationService, logger: Logger) {
        self.socket = socket
        self.service = service
        self.logger = logger
    }

    func start() {
        thread.withLock { thread in
            guard thread == nil else { return }
            thread = DedicatedThread(name: "hbbs-udp") { [self] in run() }
        }
    }

    /// Stops receiving and waits for the thread to leave the loop. The socket stays open, so replies
    /// to registrations still being committed can leave; `closeSocket()` ends it.
    func stopReceiving() async {
        stopRequested.store(true, ordering: .relaxed)
        // Wakes a receive that is blocked (Linux ends it with 0 bytes); the 200 ms receive timeout
        // is the fallback.
        socket.shutdownReceiving()
        await thread.withLock { $0 }?.finished()
    }

    func closeSocket() {
        socket.close()
    }

    private func run() {
        var priority = UDPThreadPriority(now: Self.monotonicNanoseconds())
        logger.info(
            "UDP thread scheduling",
            metadata: ["policy": "\(priority.level == .realtime ? "SCHED_FIFO 1" : "fair, 0.1 ms slice")"])
        let batch = DatagramBatch(count: Self.datagramsPerRead, size: Self.maximumDatagram)
        var outbox = DatagramBatch(count: Self.datagramsPerRead * Self.repliesPerDatagram, size: Self.maximumDatagram)
        defer {
            batch.deallocate()
            outbox.deallocate()
        }
        while !stopRequested.load(ordering: .relaxed) {
            batch.prepareForReceive()
            let received = rd_recvmmsg_waitforone(socket.descriptor, batch.headers, UInt32(batch.count))
            guard received > 0 else { continue }  // timeout (a chance to stop), EINTR, or a transient error
            let burstStart = Self.monotonicNanoseconds()
            outbox.reset()
            for index in 0..<Int(received) {
                guard let source = UDPSocket.socketAddr(batch.addresses[index]) else { continue }
                service.handle(batch.payload(index), from: source) { reply in
                    outbox.append(reply, to: batch.addresses[index], length: batch.headers[index].msg_hdr.msg_namelen)
                }
            }
            outbox.send(on: socket.descriptor)
            let now = Self.monotonicNanoseconds()
            switch priority.record(busyNanoseconds: now &- burstStart, now: now) {
            case .demoted(let share)?:
                logger.warning(
                    "UDP flood: the UDP thread leaves real-time priority for at least 1 s",
                    metadata: ["busy": "\(Int(share * 100)) %"])
            case .promoted?:
                logger.info("UDP load back to normal: the UDP thread runs at real-time priority again")
            case nil:
                break
            }
        }
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

/// Fixed arrays of message headers, addresses, iovecs and buffers for `recvmmsg`/`sendmmsg`,
/// allocated once per loop and never resized, so the pointers inside the headers stay valid.
struct DatagramBatch {
    let count: Int
    let size: Int
    let headers: UnsafeMutablePointer<rd_mmsghdr>
    let addresses: UnsafeMutablePointer<sockaddr_storage>
    private let vectors: UnsafeMutablePointer<iovec>
    private let buffers: UnsafeMutableRawPointer
    /// Entries in use when the batch is an outbox.
    private(set) var used = 0

    init(count: Int, size: Int) {
        self.count = count
        self.size = size
        headers = .allocate(capacity: count)
        headers.initialize(repeating: rd_mmsghdr(), count: count)
        addresses = .allocate(capacity: count)
        addresses.initialize(repeating: sockaddr_storage(), count: count)
        vectors = .allocate(capacity: count)
        vectors.initialize(repeating: iovec(), count: count)
        buffers = .allocate(byteCount: count * size, alignment: 16)
    }

    func deallocate() {
        headers.deallocate()
        addresses.deallocate()
        vectors.deallocate()
        buffers.deallocate()
    }

    /// Points every header at its full buffer and address slot (recvmmsg overwrites the lengths).
    func prepareForReceive() {
        for index in 0..<count {
            vectors[index] = iovec(iov_base: buffers + index * size, iov_len: size)
            headers[index] = rd_mmsghdr(
                msg_hdr: msghdr(
                    msg_name: UnsafeMutableRawPointer(addresses + index),
                    msg_namelen: socklen_t(MemoryLayout<sockaddr_storage>.size), msg_iov: vectors + index,
                    msg_iovlen: 1, msg_control: nil, msg_controllen: 0, msg_flags: 0),
                msg_len: 0)
        }
    }

    /// The bytes of received datagram `index` (at most the buffer; a longer datagram was cut).
    func payload(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffers + index * size, count: min(Int(headers[index].msg_len), size))
    }

    mutating func reset() { used = 0 }

    /// Queues `bytes` for `address`; dropped when the outbox is full or the reply too long (neither
    /// happens with hbbs's replies, which are a few bytes, at most two per datagram).
    mutating func append(_ bytes: [UInt8], to address: sockaddr_storage, length: socklen_t) {
        guard used < count, !bytes.isEmpty, bytes.count <= size else { return }
        let slot = used
        used += 1
        let buffer = buffers + slot * size
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: source.count) }
        }
        addresses[slot] = address
        vectors[slot] = iovec(iov_base: buffer, iov_len: bytes.count)
        headers[slot] = rd_mmsghdr(
            msg_hdr: msghdr(
                msg_name: UnsafeMutableRawPointer(addresses + slot), msg_namelen: length, msg_iov: vectors + slot,
                msg_iovlen: 1, msg_control: nil, msg_controllen: 0, msg_flags: 0),
            msg_len: 0)
    }

    /// Sends everything queued; a datagram the kernel refuses is skipped (UDP may drop it anyway).
    func send(on descriptor: Int32) {
        var next = 0
        while next < used {
            let sent = rd_sendmmsg(descriptor, headers + next, UInt32(used - next), 0)
            next += sent > 0 ? Int(sent) : 1
        }
    }
}
