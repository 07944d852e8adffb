#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The obfuscated socket-address encoding of `socket_addr`/`local_addr` fields (spec/wire.md §3).
///
/// IPv4 is mixed with a 32-bit timestamp so NAT devices that rewrite their own public address
/// inside payloads cannot recognise it; IPv6 is plain. Decoding is total: any byte string yields
/// an address, using wrapping arithmetic so hostile input cannot trap.
public enum AddrMangle {
    /// Encodes with `tm` = the low 32 bits of the current Unix time in microseconds.
    public static func encode(_ address: SocketAddr) -> [UInt8] {
        encode(address, timestamp: currentTimestamp())
    }

    /// Encodes with an explicit timestamp (only the low 32 bits are used), for reproducible tests.
    public static func encode(_ address: SocketAddr, timestamp: UInt32) -> [UInt8] {
        let normalized = address.normalized
        switch normalized.ip {
        case .v4:
            let octets = normalized.ip.octets
            // The octets read as a little-endian integer.
            let ip =
                UInt128(octets[0]) | UInt128(octets[1]) << 8 | UInt128(octets[2]) << 16 | UInt128(octets[3]) << 24
            let tm = UInt128(timestamp)
            let value = (ip + tm) << 49 | tm << 17 | (UInt128(normalized.port) + (tm & 0xFFFF))
            var bytes = (0..<16).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
            while bytes.last == 0 { bytes.removeLast() }
            return bytes
        case .v6:
            return normalized.ip.octets + [UInt8(truncatingIfNeeded: normalized.port), UInt8(normalized.port >> 8)]
        }
    }

    /// Decodes any byte string; never fails (wire.md §3.4).
    public static func decode(_ bytes: some Collection<UInt8>) -> SocketAddr {
        if bytes.count > 16 {
            guard bytes.count == 18 else { return SocketAddr(ip: .v6(0), port: 0) }
            let all = Array(bytes)
            let ip = IPAddress(octets: all[0..<16]) ?? .v6(0)
            return SocketAddr(ip: ip, port: UInt16(all[16]) | UInt16(all[17]) << 8)
        }
        var number: UInt128 = 0
        for (index, byte) in bytes.enumerated() {
            number |= UInt128(byte) << (8 * index)
        }
        let tm = UInt32(truncatingIfNeeded: number >> 17)
        let littleEndianIP = UInt32(truncatingIfNeeded: number >> 49) &- tm
        let port = UInt16(truncatingIfNeeded: number & 0x1FFFF) &- UInt16(truncatingIfNeeded: tm)
        return SocketAddr(ip: .v4(littleEndianIP.byteSwapped), port: port)
    }

    private static func currentTimestamp() -> UInt32 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let micros =
            UInt64(truncatingIfNeeded: now.tv_sec) &* 1_000_000 &+ UInt64(truncatingIfNeeded: now.tv_nsec / 1000)
        return UInt32(truncatingIfNeeded: micros)
    }
}
