import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real DNS lookup behind `ServerListResolver`: a blocking getaddrinfo with the stream-socket hint, as the
/// reference's `to_socket_addrs` does. Called only on the resolver's behalf, never on an event loop.
enum SystemAddressLookup {
    static func lookup(host: String, port: UInt16) throws(ServerListResolverError) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamSocketType
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .lookupFailed(host: host, reason: status == 0 ? "no result" : describe(status))
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let address = socketAddress(info.pointee, host: host) { addresses.append(address) }
            cursor = info.pointee.ai_next
        }
        return addresses
    }

    private static func socketAddress(_ info: addrinfo, host: String) -> SocketAddress? {
        guard let raw = info.ai_addr else { return nil }
        switch info.ai_family {
        case AF_INET:
            return raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: host) }
        case AF_INET6:
            return raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: host) }
        default:
            return nil
        }
    }

    private static func describe(_ status: Int32) -> String {
        guard let text = gai_strerror(status) else { return "error \(status)" }
        return String(cString: text)
    }

    #if canImport(Glibc)
        private static let streamSocketType = Int32(SOCK_STREAM.rawValue)
    #else
        private static let streamSocketType = SOCK_STREAM
    #endif
}
