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

/// One page of a list (`current`, `pageSize`), clamped so that no query string makes a huge or
/// negative offset: `current` to 1...1,000,000 and `pageSize` to 1...1000 (missing or unreadable
/// values: page 1 of 100, the client's own page size).
public struct GroupTabPage: Sendable, Equatable {
    public let current: Int
    public let pageSize: Int

    public static let maxPage = 1_000_000
    public static let maxPageSize = 1000
    public static let defaultPageSize = 100

    public init(current: Int, pageSize: Int) {
        self.current = min(max(current, 1), Self.maxPage)
        self.pageSize = min(max(pageSize, 1), Self.maxPageSize)
    }

    /// From the query's text values.
    public init(current: String?, pageSize: String?) {
        self.init(
            current: current.flatMap { Int($0) } ?? 1,
            pageSize: pageSize.flatMap { Int($0) } ?? Self.defaultPageSize)
    }

    public var offset: Int { (current - 1) * pageSize }
}

/// A page of a list and the list's full length (`{"total", "data"}`).
public struct GroupTabList<Item: Sendable>: Sendable {
    public var total: Int
    public var items: [Item]

    public init(total: Int, items: [Item]) {
        self.total = total
        self.items = items
    }
}

extension GroupTabList: Equatable where Item: Equatable {}

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
