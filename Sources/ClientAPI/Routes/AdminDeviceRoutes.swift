import APICore
import Hummingbird

/// devices.py's routes (admin-api.md §2), behind the `device` permission. So far `GET /api/devices`
/// with the script's filters (`id`, `device_name`, `device_username`, `user_name`, `group_name`,
/// `device_group_name`), paged.
struct AdminDeviceRoutes {
    let devices: DeviceAdministration

    func register(authenticated router: RouterGroup<APIRequestContext>) {
        router.get("devices") { request, context in
            _ = try context.administrator(.device, .read)
            let query = AdminQuery(request)
            let filter = DeviceFilter(
                id: query.like("id"), deviceName: query.like("device_name"),
                deviceUsername: query.like("device_username"),
                userName: query.like("user_name"), groupName: query.like("group_name"),
                deviceGroupName: query.like("device_group_name"))
            let list = try await devices.devices(matching: filter, page: query.page)
            return APIResponse.json(PageBody(total: list.total, data: list.items.map(AdminDevicePayload.init)))
        }
    }
}

/// A device as devices.py reads it: `guid`, `id` and `last_online` (naive UTC, `NaiveUTCTime`), plus
/// what an administrator sorts by.
struct AdminDevicePayload: Encodable {
    let guid: String
    let id: String
    let online: Bool
    let lastOnline: String?
    let deviceName: String
    let deviceUsername: String
    let os: String
    let version: String
    let userName: String
    let groupName: String
    let deviceGroupName: String
    let strategyName: String
    let note: String
    let createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case guid, id, online, os, version, note
        case lastOnline = "last_online"
        case deviceName = "device_name"
        case deviceUsername = "device_username"
        case userName = "user_name"
        case groupName = "group_name"
        case deviceGroupName = "device_group_name"
        case strategyName = "strategy_name"
        case createdAt = "created_at"
    }

    init(_ listing: AdminDeviceListing) {
        let device = listing.device
        guid = device.guid
        id = device.id
        online = listing.online
        lastOnline = device.lastHeartbeatAt.map(NaiveUTCTime.text)
        deviceName = device.sysinfo?.hostname ?? ""
        deviceUsername = device.sysinfo?.username ?? ""
        os = device.sysinfo?.os ?? ""
        version = device.sysinfo?.version ?? ""
        userName = listing.ownerName
        groupName = listing.userGroupName
        deviceGroupName = listing.deviceGroupName
        strategyName = listing.strategyName
        note = device.note
        createdAt = device.createdAt
    }

    /// `last_online` is `null` for a device never seen beating.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(guid, forKey: .guid)
        try container.encode(id, forKey: .id)
        try container.encode(online, forKey: .online)
        try container.encode(lastOnline, forKey: .lastOnline)
        try container.encode(deviceName, forKey: .deviceName)
        try container.encode(deviceUsername, forKey: .deviceUsername)
        try container.encode(os, forKey: .os)
        try container.encode(version, forKey: .version)
        try container.encode(userName, forKey: .userName)
        try container.encode(groupName, forKey: .groupName)
        try container.encode(deviceGroupName, forKey: .deviceGroupName)
        try container.encode(strategyName, forKey: .strategyName)
        try container.encode(note, forKey: .note)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
