import RustDeskCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The doctor's OS calls: getaddrinfo, getnameinfo and a TCP connect that gives up after a timeout.
public enum DoctorNetwork {
    #if canImport(Darwin)
        private static let streamType = SOCK_STREAM
    #else
        private static let streamType = Int32(SOCK_STREAM.rawValue)
    #endif

    /// The name's addresses in resolver order, each once (one socket type asked, so no duplicates per type).
    @Sendable
    public static func resolve(_ name: String) -> Result<[IPAddress], DoctorLookupError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamType
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(name, nil, &hints, &list)
        guard rc == 0 else { return .failure(DoctorLookupError(reason: lookupReason(rc))) }
        defer { freeaddrinfo(list) }
        var addresses = [IPAddress]()
        var entry = list
        while let info = entry?.pointee {
            if let address = info.ai_addr, let ip = ipAddress(of: address), !addresses.contains(ip) {
                addresses.append(ip)
            }
            entry = info.ai_next
        }
        return .success(addresses)
    }

    /// The name getnameinfo gives for the address; like the reference, the numeric form when there is no name.
    @Sendable
    public static func reverseLookup(_ ip: IPAddress) -> Result<String, DoctorLookupError> {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let rc = withSockaddr(ip, port: 0) { address, length in
            getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, 0)
        }
        guard rc == 0 else { return .failure(DoctorLookupError(reason: lookupReason(rc))) }
        return .success(String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// How long a TCP connect to ip:port took, or nil when it failed or did not finish within `timeout`.
    public static func measureConnect(to ip: IPAddress, port: UInt16, timeout: Duration) -> Duration? {
        let clock = ContinuousClock()
        let start = clock.now
        let fd = socket(ip.isIPv4 ? AF_INET : AF_INET6, streamType, 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // Non-blocking so the wait below, not the OS default (minutes), bounds a black-holed address.
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else { return nil }
        let rc = withSockaddr(ip, port: port) { address, length in
            connect(fd, address, length)
        }
        if rc != 0 {
            guard errno == EINPROGRESS, waitUntilWritable(fd, deadline: start + timeout, clock: clock),
                socketError(fd) == 0
            else { return nil }
        }
        return clock.now - start
    }

    private static func waitUntilWritable(_ fd: Int32, deadline: ContinuousClock.Instant, clock: ContinuousClock)
        -> Bool
    {
        while true {
            let remaining = DoctorCommand.wholeMilliseconds(deadline - clock.now)
            guard remaining > 0 else { return false }
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&entry, 1, Int32(clamping: remaining))
            if ready > 0 { return true }
            if ready == 0 || errno != EINTR { return false }
        }
    }

    private static func socketError(_ fd: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) == 0 else { return errno }
        return value
    }

    private static func lookupReason(_ rc: Int32) -> String {
        if rc == EAI_SYSTEM { return String(cString: strerror(errno)) }
        return String(cString: gai_strerror(rc))
    }

    private static func ipAddress(of address: UnsafeMutablePointer<sockaddr>) -> IPAddress? {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { inet in
                withUnsafeBytes(of: inet.pointee.sin_addr) { IPAddress(octets: $0) }
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { inet6 in
                withUnsafeBytes(of: inet6.pointee.sin6_addr) { IPAddress(octets: $0) }
            }
        default:
            return nil
        }
    }

    private static func withSockaddr<Result>(
        _ ip: IPAddress, port: UInt16, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result
    ) -> Result {
        let octets = ip.octets
        if ip.isIPv4 {
            var inet = sockaddr_in()
            inet.sin_family = sa_family_t(AF_INET)
            inet.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &inet.sin_addr) { $0.copyBytes(from: octets) }
            return withUnsafePointer(to: &inet) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        var inet6 = sockaddr_in6()
        inet6.sin6_family = sa_family_t(AF_INET6)
        inet6.sin6_port = port.bigEndian
        withUnsafeMutableBytes(of: &inet6.sin6_addr) { $0.copyBytes(from: octets) }
        return withUnsafePointer(to: &inet6) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
    }
}
