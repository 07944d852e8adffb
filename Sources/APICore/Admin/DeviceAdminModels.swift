/// devices.py's list filters (admin-api.md §2), each a `LikeFilter`: `id`, `device_name` (host
/// name), `device_username` (the OS user), `user_name` (the owner's account), `group_name` (the
/// owner's user group) and `device_group_name`.
public struct DeviceFilter: Sendable, Equatable {
    public var id: LikeFilter?
    public var deviceName: LikeFilter?
    public var deviceUsername: LikeFilter?
    public var userName: LikeFilter?
    public var groupName: LikeFilter?
    public var deviceGroupName: LikeFilter?

    public init(
        id: LikeFilter? = nil, deviceName: LikeFilter? = nil, deviceUsername: LikeFilter? = nil,
        userName: LikeFilter? = nil, groupName: LikeFilter? = nil, deviceGroupName: LikeFilter? = nil
    ) {
        self.id = id
        self.deviceName = deviceName
        self.deviceUsername = deviceUsername
        self.userName = userName
        self.groupName = groupName
        self.deviceGroupName = deviceGroupName
    }
}

/// A device as an administrator's list shows it; `online` comes from hbbs's registry, not the store.
public struct AdminDeviceListing: Sendable, Equatable {
    public var device: Device
    public var ownerName: String
    public var userGroupName: String
    public var deviceGroupName: String
    public var strategyName: String
    public var online: Bool

    public init(
        device: Device, ownerName: String, userGroupName: String, deviceGroupName: String, strategyName: String,
        online: Bool = false
    ) {
        self.device = device
        self.ownerName = ownerName
        self.userGroupName = userGroupName
        self.deviceGroupName = deviceGroupName
        self.strategyName = strategyName
        self.online = online
    }
}
