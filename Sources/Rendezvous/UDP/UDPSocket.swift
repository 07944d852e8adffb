import NIOCore
import RendezvousCore
import RustDeskCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// hbbs's UDP socket on PORT, owned outside NIO (see `UDPRegistrationLoop` for why). Sending is a
/// single system call and safe from any thread: the loop answers on it, the store's thread answers
/// committed registrations, and punch-hole requests reach peers through it.
final class UDPSocket: Sendable {
    let descriptor: Int32
    /// The bound port (the requested one, or the kernel's pick for 0).
    let port: Int
    /// AF_INET6 for a dual-stack or IPv6 bind, AF_INET otherwise; replies use the same family.
    let isIPv6: Bool
    /// Whether `close()` ran. `send` holds it across its `sendto` (which never blocks), so a late
    /// sender (a commit's completion, a punch-hole forward) cannot write to the descriptor number
    /// after the process has reused it for another file or connection.
    private let closed = Mutex(false)

    /// Binds `host:port` (`::` is dual-stack) with SO_REUSEADDR and the given receive buffer.
    init(host: String, port: Int, receiveBuffer: Int) throws {
        let address = try SocketAddress(ipAddress: host, port: port)
        isIPv6 = address.protocol == .inet6
        let fd = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        do {
            try Self.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            if isIPv6 { try Self.setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 0) }
            // Best effort: the kernel caps it at net.core.rmem_max.
            try? Self.setOption(fd, SOL_SOCKET, SO_RCVBUF, Int32(clamping: receiveBuffer))
            // Wakes the loop's blocking receive now and then, so a stop request is seen.
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0
            else { throw IOError(errnoCode: errno, reason: "setsockopt(SO_RCVTIMEO)") }
            let bound = address.withSockAddr { pointer, length in Glibc.bind(fd, pointer, socklen_t(length)) }
            guard bound == 0 else { throw IOError(errnoCode: errno, reason: "bind(\(host):\(port))") }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let named = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            guard named == 0, let local = UDPSocket.socketAddr(storage) else {
                throw IOError(errnoCode: errno, reason: "getsockname")
            }
            descriptor = fd
            self.port = Int(local.port)
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// Sends one datagram; errors (a full send buffer, an unreachable address) drop it, as UDP may.
    @discardableResult
    func send(_ bytes: [UInt8], to address: SocketAddr) -> Bool {
        var storage = sockaddr_storage()
        guard let length = Self.fill(&storage, with: address, ipv6: isIPv6) else { return false }
        let sent = closed.withLock { closed -> Int in
            guard !closed else { return -1 }
            return bytes.withUnsafeBytes { payload in
                withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(descriptor, payload.baseAddress, payload.count, Int32(MSG_DONTWAIT), $0, length)
                    }
                }
            }
        }
        return sent == bytes.count
    }

    /// Closes the descriptor once; later sends are dropped. The receive loop must have stopped.
    func close() {
        closed.withLock { closed in
            guard !closed else { return }
            closed = true
            _ = Glibc.close(descriptor)
        }
    }

    func shutdownReceiving() { _ = shutdown(descriptor, Int32(SHUT_RD)) }

    private static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw IOError(errnoCode: errno, reason: "setsockopt(\(level), \(name))")
        }
    }

    // MARK: Addresses

    /// The peer address of a received datagram, as the decision logic knows it.
    static func socketAddr(_ storage: sockaddr_storage) -> SocketAddr? {
        let family = Int32(storage.ss_family)
        return withUnsafeBytes(of: storage) { raw in
            switch family {
            case AF_INET:
                let address = raw.loadUnaligned(as: sockaddr_in.self)
                return SocketAddr(
                    ip: .v4(UInt32(bigEndian: address.sin_addr.s_addr)), port: UInt16(bigEndian: address.sin_port))
            case AF_INET6:
                let address = raw.loadUnaligned(as: sockaddr_in6.self)
                let value = withUnsafeBytes(of: address.sin6_addr) {
                    UInt128(bigEndian: $0.loadUnaligned(as: UInt128.self))
                }
                return SocketAddr(ip: .v6(value), port: UInt16(bigEndian: address.sin6_port))
            default:
                return nil
            }
        }
    }

    /// Writes `address` into `storage` in the socket's family (an IPv4 address becomes IPv4-mapped on
    /// an IPv6 socket); nil when it cannot be expressed (IPv6 on an IPv4 socket).
    static func fill(_ storage: inout sockaddr_storage, with address: SocketAddr, ipv6: Bool) -> socklen_t? {
        withUnsafeMutableBytes(of: &storage) { raw in
            if ipv6 {
                var out = sockaddr_in6()
                out.sin6_family = sa_family_t(AF_INET6)
                out.sin6_port = address.port.bigEndian
                let value: UInt128
                switch address.ip {
                case .v4(let v4): value = UInt128(0xFFFF) << 32 | UInt128(v4)
                case .v6(let v6): value = v6
                }
                withUnsafeMutableBytes(of: &out.sin6_addr) { $0.storeBytes(of: value.bigEndian, as: UInt128.self) }
                raw.storeBytes(of: out, as: sockaddr_in6.self)
                return socklen_t(MemoryLayout<sockaddr_in6>.size)
            }
            guard case .v4(let v4) = address.ip.normalized else { return nil }
            var out = sockaddr_in()
            out.sin_family = sa_family_t(AF_INET)
            out.sin_port = address.port.bigEndian
            out.sin_addr.s_addr = v4.bigEndian
            raw.storeBytes(of: out, as: sockaddr_in.self)
            return socklen_t(MemoryLayout<sockaddr_in>.size)
        }
    }
}
