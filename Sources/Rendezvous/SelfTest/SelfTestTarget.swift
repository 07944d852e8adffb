import NIOCore
import RendezvousCore
import RustDeskCore

/// Where the UDP self-test sends (spec/hbbs.md §3.2): TEST_HBBS, or the TCP PORT listener's own address, with an
/// unspecified IP replaced by loopback of the same family. Built once at start-up by hbbs for `SelfTestWatchdog`.
public struct SelfTestTarget: Equatable, Sendable {
    /// The first address tried.
    public var address: SocketAddr
    /// `127.0.0.1` on the same port when `address` came from `[::]`; tried once after `address` fails.
    public var fallback: SocketAddr?

    public init(address: SocketAddr, fallback: SocketAddr? = nil) {
        self.address = address
        self.fallback = fallback
    }

    /// nil when TEST_HBBS is `no` (any case): the self-test is disabled. An empty TEST_HBBS means the listener.
    public static func make(testHbbs: String, listenerAddress: SocketAddress) throws(SelfTestError) -> SelfTestTarget? {
        if testHbbs.lowercased() == "no" { return nil }
        let base: SocketAddr
        if testHbbs.isEmpty {
            guard let ipText = listenerAddress.ipAddress, let ip = IPAddress(ipText), let port = listenerAddress.port,
                let port16 = UInt16(exactly: port)
            else { throw .unsupportedListenerAddress("\(listenerAddress)") }
            base = SocketAddr(ip: ip, port: port16)
        } else {
            guard let parsed = SocketAddr(testHbbs) else { throw .invalidTarget(testHbbs) }
            base = parsed
        }
        return derive(from: base)
    }

    /// Applies the loopback substitution and, for `[::]`, the IPv4 fallback.
    public static func derive(from base: SocketAddr) -> SelfTestTarget {
        guard base.ip.isUnspecified else { return SelfTestTarget(address: base) }
        let ipv4Loopback = SocketAddr(ip: IPAddress(v4Octets: 127, 0, 0, 1), port: base.port)
        if base.ip.isIPv4 { return SelfTestTarget(address: ipv4Loopback) }
        return SelfTestTarget(address: SocketAddr(ip: .ipv6Loopback, port: base.port), fallback: ipv4Loopback)
    }
}
