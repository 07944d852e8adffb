#if canImport(Glibc)
    import Glibc
#endif

/// A one-shot HTTP/1.0 GET over a blocking socket whose connect, send and receive each time out: all a
/// health check needs, without an HTTP stack (or libcurl) in the image.
enum HTTPProbe {
    static let responseLimit = 8192

    static func get(host: String, port: Int, path: String, timeoutSeconds: Int) -> Result<String, ProbeFailure> {
        guard case (var storage, let length, let family)? = socketAddress(host: host, port: port) else {
            return .failure(.init("bad address \(host)"))
        }
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return .failure(.errno("socket")) }
        defer { close(descriptor) }
        // Linux bounds a blocking connect by the send timeout.
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, length) }
        }
        guard connected == 0 else { return .failure(.errno("connect")) }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8)
        guard send(descriptor, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else {
            return .failure(.errno("send"))
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while response.count < responseLimit {
            let received = recv(descriptor, &buffer, buffer.count, 0)
            if received == 0 { break }
            guard received > 0 else { return .failure(.errno("recv")) }
            response += buffer[0..<received]
        }
        return .success(String(decoding: response, as: UTF8.self))
    }
}

extension HTTPProbe {
    /// `host` (an IPv4 or IPv6 literal) and `port` as the argument `connect` takes.
    static func socketAddress(host: String, port: Int) -> (sockaddr_storage, socklen_t, Int32)? {
        let networkPort = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        if host.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = networkPort
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { return nil }
            return (storage(address), socklen_t(MemoryLayout<sockaddr_in6>.size), AF_INET6)
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = networkPort
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
        return (storage(address), socklen_t(MemoryLayout<sockaddr_in>.size), AF_INET)
    }

    private static func storage<Address>(_ address: Address) -> sockaddr_storage {
        var storage = sockaddr_storage()
        withUnsafeBytes(of: address) { bytes in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) } }
        return storage
    }
}

struct ProbeFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }

    static func errno(_ call: String) -> ProbeFailure {
        ProbeFailure("\(call): \(ServiceAccount.describe(Glibc.errno))")
    }
}
