/// What the heartbeat needs to know about one device without reading the disk: who owns it, its
/// group and strategy assignment, and whether the server holds its sysinfo; also the names the address
/// books show for it. The store returns one
/// from every write that changes these, with `revision`, a number that grows in commit order, so the
/// in-memory directory never replaces a newer state with an older one.
public struct DeviceDirectoryEntry: Sendable, Equatable {
    public var id: String
    public var ownerID: User.ID?
    public var groupID: DeviceGroup.ID?
    public var strategyID: Strategy.ID?
    public var hasSysinfo: Bool
    /// From the last sysinfo (empty before one), bounded.
    public var names: PeerNames
    /// An administrator disabled it: hbbs refuses connections to it.
    public var disabled: Bool
    public var revision: Int64

    public init(
        id: String, ownerID: User.ID? = nil, groupID: DeviceGroup.ID? = nil, strategyID: Strategy.ID? = nil,
        hasSysinfo: Bool = false, names: PeerNames = PeerNames(), disabled: Bool = false, revision: Int64 = 0
    ) {
        self.id = id
        self.ownerID = ownerID
        self.groupID = groupID
        self.strategyID = strategyID
        self.hasSysinfo = hasSysinfo
        self.names = names
        self.disabled = disabled
        self.revision = revision
    }
}
