/// Whose users and devices a caller of the group tab (http-api.md §5) may see: an administrator sees
/// everything (unowned devices too); anyone else sees themself, the members of their user group, and
/// the devices those users own.
public enum GroupTabScope: Sendable, Equatable {
    case everything
    case userGroup(userID: User.ID, groupID: UserGroup.ID?)

    public init(_ user: User) {
        self = user.isAdmin ? .everything : .userGroup(userID: user.id, groupID: user.groupID)
    }
}

/// A device as the group tab shows it (PeerPayload, http-api.md §5.2).
public struct DeviceListing: Sendable, Equatable {
    public var id: String
    /// The OS user, the OS string (`<distro> / <version>`) and the host name from sysinfo.
    public var username: String
    public var os: String
    public var hostname: String
    /// The owner's account name; empty when nobody owns the device.
    public var ownerName: String
    public var deviceGroupName: String
    public var note: String

    public init(
        id: String, username: String = "", os: String = "", hostname: String = "", ownerName: String = "",
        deviceGroupName: String = "", note: String = ""
    ) {
        self.id = id
        self.username = username
        self.os = os
        self.hostname = hostname
        self.ownerName = ownerName
        self.deviceGroupName = deviceGroupName
        self.note = note
    }
}
