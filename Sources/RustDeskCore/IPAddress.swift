#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IP address without NIO: the value type the decision logic, AddrMangle and configuration share.
/// Both cases hold the address as a big-endian number, so `v4(0x7F00_0001)` is 127.0.0.1.
public enum IPAddress: Hashable, Sendable {
    case v4(UInt32)
    case v6(UInt128)

    public static let ipv6Loopback = IPAddress.v6(1)

    /// Parses an IPv4 dotted quad or an IPv6 literal (no brackets, no zone); nil otherwise.
    public init?(_ text: some StringProtocol) {
        let string = String(text)
        // inet_pton would stop at an embedded NUL and accept "1.2.3.4\0junk".
        guard !string.utf8.contains(0) else { return nil }
        if string.contains(":") {
            var raw = in6_addr()
            guard inet_pton(AF_INET6, string, &raw) == 1 else { return nil }
            let octets = withUnsafeBytes(of: &raw) { Array($0) }
            self = .v6(Self.bigEndianNumber(octets))
        } else {
            var raw = in_addr()
            guard inet_pton(AF_INET, string, &raw) == 1 else { return nil }
            let octets = withUnsafeBytes(of: &raw) { Array($0) }
            self = .v4(UInt32(truncatingIfNeeded: Self.bigEndianNumber(octets)))
        }
    }

    public init(v4Octets a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        self = .v4(UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d))
    }

    /// Network-order octets: 4 for IPv4, 16 for IPv6.
    public var octets: [UInt8] {
        switch self {
        case .v4(let value): return (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }
        case .v6(let value): return (0..<16).map { UInt8(truncatingIfNeeded: value >> (120 - 8 * $0)) }
        }
    }

    /// Builds an address from 4 or 16 network-order octets; nil for any other count.
    public init?(octets: some Collection<UInt8>) {
        switch octets.count {
        case 4: self = .v4(UInt32(truncatingIfNeeded: Self.bigEndianNumber(octets)))
        case 16: self = .v6(Self.bigEndianNumber(octets))
        default: return nil
        }
    }

    public var isIPv4: Bool { if case .v4 = self { true } else { false } }

    public var isLoopback: Bool {
        switch self {
        case .v4(let value): return value >> 24 == 127
        case .v6(let value): return value == 1
        }
    }

    public var isUnspecified: Bool {
        switch self {
        case .v4(let value): return value == 0
        case .v6(let value): return value == 0
        }
    }

    /// The "try into v4" normalisation of the spec (wire.md §3.1): IPv4-mapped (`::ffff:a.b.c.d`) and
    /// IPv4-compatible (`::a.b.c.d`, including `::`) addresses become IPv4; `::1` stays IPv6.
    public var normalized: IPAddress {
        guard case .v6(let value) = self, value != 1 else { return self }
        let high = value >> 32
        if high == 0 || high == 0xFFFF {
            return .v4(UInt32(truncatingIfNeeded: value))
        }
        return self
    }

    /// The IPv4-mapped IPv6 form (`::ffff:a.b.c.d`) of an IPv4 address; IPv6 is returned unchanged.
    public var ipv4Mapped: IPAddress {
        guard case .v4(let value) = self else { return self }
        return .v6(UInt128(0xFFFF) << 32 | UInt128(value))
    }

    private static func bigEndianNumber(_ bytes: some Collection<UInt8>) -> UInt128 {
        bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }
}

extension IPAddress: CustomStringConvertible {
    /// The conventional text form (`1.2.3.4`, `::ffff:1.2.3.4`, `2001:db8::1`), as the Rust servers print it.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        var bytes = octets
        let family = isIPv4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeMutableBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An IP address and port.
public struct SocketAddr: Hashable, Sendable {
    public var ip: IPAddress
    public var port: UInt16

    public init(ip: IPAddress, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    /// Parses `1.2.3.4:80` or `[2001:db8::1]:80`; nil otherwise.
    public init?(_ text: some StringProtocol) {
        let string = String(text)
        if string.hasPrefix("[") {
            guard let close = string.firstIndex(of: "]") else { return nil }
            let host = string[string.index(after: string.startIndex)..<close]
            let rest = string[string.index(after: close)...]
            guard rest.hasPrefix(":"), let port = UInt16(rest.dropFirst()), let ip = IPAddress(host),
                !ip.isIPv4
            else { return nil }
            self.init(ip: ip, port: port)
        } else {
            guard let colon = string.lastIndex(of: ":"), let port = UInt16(string[string.index(after: colon)...]),
                let ip = IPAddress(string[..<colon]), ip.isIPv4
            else { return nil }
            self.init(ip: ip, port: port)
        }
    }

    /// The "try into v4" normalisation applied to the IP, port kept.
    public var normalized: SocketAddr { SocketAddr(ip: ip.normalized, port: port) }
}

extension SocketAddr: CustomStringConvertible {
    public var description: String {
        ip.isIPv4 ? "\(ip):\(port)" : "[\(ip)]:\(port)"
    }
}
