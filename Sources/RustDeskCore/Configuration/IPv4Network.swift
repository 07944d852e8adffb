/// An IPv4 network (address and prefix length) such as hbbs's MASK: the range of peers regarded as
/// being on the server's LAN (hbbs.md §2.2, §10.3).
public struct IPv4Network: Hashable, Sendable, CustomStringConvertible {
    /// The address as given; host bits need not be zero.
    public let address: UInt32
    public let prefixLength: Int

    public init?(address: IPAddress, prefixLength: Int) {
        guard case .v4(let value) = address, (0...32).contains(prefixLength) else { return nil }
        self.address = value
        self.prefixLength = prefixLength
    }

    /// Parses `a.b.c.d/len`, `a.b.c.d/m.m.m.m` (contiguous netmask) or a bare `a.b.c.d` (= /32).
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let addressText = parts.first, let address = IPAddress(addressText), address.isIPv4 else { return nil }
        var prefix = 32
        if parts.count == 2 {
            let prefixText = parts[1]
            if let netmask = IPAddress(prefixText) {
                guard let length = Self.prefixLength(ofNetmask: netmask) else { return nil }
                prefix = length
            } else {
                guard prefixText.allSatisfy(\.isASCII), let length = UInt8(prefixText) else { return nil }
                prefix = Int(length)
            }
        }
        self.init(address: address, prefixLength: prefix)
    }

    public var netmask: UInt32 { prefixLength == 0 ? 0 : UInt32.max << (32 - prefixLength) }

    /// True when `ip` (IPv4, or IPv4-mapped IPv6 as dual-stack sockets report it) is inside the network.
    public func contains(_ ip: IPAddress) -> Bool {
        guard case .v4(let value) = ip.normalized else { return false }
        return value & netmask == address & netmask
    }

    public var description: String { "\(IPAddress.v4(address))/\(prefixLength)" }

    private static func prefixLength(ofNetmask netmask: IPAddress) -> Int? {
        guard case .v4(let bits) = netmask else { return nil }
        let length = (~bits).leadingZeroBitCount
        // Contiguous: nothing may remain once the leading ones are shifted out.
        return length == 32 || bits << length == 0 ? length : nil
    }
}
