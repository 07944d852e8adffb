/// Where the address books learn a device's names without reading the disk (http-api.md §4.7: the
/// server fills `username`, `hostname` and `platform` from its device table when a peer lacks them).
/// hbbs passes the device directory; the address books know nothing else of the devices area.
public protocol DeviceNames: Sendable {
    /// The names the device `id` last reported, or nil when it reported none.
    func names(ofDevice id: String) -> PeerNames?
}

/// No device names: peers are listed as they are stored.
public struct NoDeviceNames: DeviceNames {
    public init() {}

    public func names(ofDevice id: String) -> PeerNames? { nil }
}
