import APICore
import Hummingbird

/// devices.py's routes (admin-api.md §2), behind the `device` permission: `GET /api/devices` with the
/// script's filters (`id`, `device_name`, `device_username`, `user_name`, `group_name`,
/// `device_group_name`), paged; `POST /{guid}/enable|disable`; `DELETE /{guid}` (disabled devices
/// only, as in Pro); `POST /{guid}/assign` with `{"type", "value"}`, which also needs read on the area
/// the value names (read-write for an address book, which it changes). Changes answer 200, empty.
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
        for (verb, enabled) in [("enable", true), ("disable", false)] {
            router.post("devices/{guid}/\(verb)") { _, context in
                let caller = try context.administrator(.device, .readWrite)
                let guid = try context.parameters.require("guid")
                try await answering(Self.failure) { () async throws(DeviceAdministration.Failure) in
                    try await devices.setEnabled(enabled, guid: guid, by: caller)
                }
                return APIResponse.empty
            }
        }
        router.delete("devices/{guid}") { _, context in
            let caller = try context.administrator(.device, .readWrite)
            let guid = try context.parameters.require("guid")
            try await answering(Self.failure) { () async throws(DeviceAdministration.Failure) in
                try await devices.delete(guid: guid, by: caller)
            }
            return APIResponse.empty
        }
        router.post("devices/{guid}/assign") { request, context in
            let guid = try context.parameters.require("guid")
            let body = try await JSONBody.decode(DeviceAssignBody.self, from: request, limit: BodyLimit.json)
            guard let assignment = DeviceAssignment(type: body.type, value: body.value) else {
                throw APIFailure(.badRequest, "Unknown assignment type")
            }
            let caller = try context.administrator(assignment: assignment)
            try await answering(Self.failure) { () async throws(DeviceAdministration.Failure) in
                try await devices.assign(assignment, toGUID: guid, by: caller)
            }
            return APIResponse.empty
        }
    }

    static func failure(_ failure: DeviceAdministration.Failure) -> APIFailure {
        switch failure {
        case .unknownDevice: APIFailure(.notFound, "Device not found")
        case .enabled: APIFailure(.badRequest, "Disable the device before deleting it")
        case .unknownTarget(let kind, let name): APIFailure(.notFound, "No \(kind) named \(name)")
        case .invalidValue(let text): APIFailure(.badRequest, text)
        case .store(let error): APIFailure(error)
        }
    }
}

extension APIRequestContext {
    /// Device read-write, plus read on each area the assignment names (read-write on an address book,
    /// which it changes): a token scoped to devices cannot reach users or books through an assignment.
    func administrator(assignment: DeviceAssignment) throws -> AdminCaller {
        let caller = try administrator(.device, .readWrite)
        for area in assignment.areas {
            _ = try administrator(area, area == .addressBook ? .readWrite : .read)
        }
        return caller
    }
}

/// devices.py `assign`: `{"type": "user_name" | "device_group_name" | "strategy_name" | "note" |
/// "device_username" | "device_name" | "ab", "value": text}`.
struct DeviceAssignBody: Decodable {
    let type: String
    let value: String
}

/// A device as devices.py reads it: `guid`, `id` and `last_online` (naive UTC, `NaiveUTCTime`), plus
/// what an administrator sorts by and its `status`.
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
    /// As a user's: 1 enabled, 0 disabled.
    let status: Int
    let createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case guid, id, online, os, version, note, status
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
        status = device.disabled ? 0 : 1
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
        try container.encode(status, forKey: .status)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
