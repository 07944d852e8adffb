import APICore
import Hummingbird

/// http-api.md §8, what `rustdesk --assign` and `rustdesk --deploy` send with an API token:
/// `POST /api/devices/cli` assigns to the device that names itself by `id` + `uuid` (device
/// read-write, and read on each area a name reaches into); it answers 200 with an empty body, which
/// the client prints as "Done!". `POST /api/devices/deploy` (device read-write) claims an ID for a
/// device's uuid and key and answers `{"result": …}`.
struct ProvisioningRoutes {
    let devices: DeviceAdministration

    func register(authenticated router: RouterGroup<APIRequestContext>) {
        router.post("devices/cli") { request, context in
            let body = try await JSONBody.decode(DeviceCLIBody.self, from: request, limit: BodyLimit.json)
            let assignment = body.assignment
            guard !assignment.isEmpty else { throw APIFailure(.badRequest, "Nothing to assign") }
            let caller = try context.administrator(assignment: assignment)
            try await answering(AdminDeviceRoutes.failure) { () async throws(DeviceAdministration.Failure) in
                try await devices.assign(assignment, toDevice: body.id, uuidBase64: body.uuid, by: caller)
            }
            return APIResponse.empty
        }
        router.post("devices/deploy") { request, context in
            let caller = try context.administrator(.device, .readWrite)
            let body = try await JSONBody.decode(DeviceDeployBody.self, from: request, limit: BodyLimit.json)
            let outcome = await devices.deploy(id: body.id, uuidBase64: body.uuid, pkBase64: body.pk, by: caller)
            if outcome == .unavailable { throw APIFailure(.serviceUnavailable, "The device could not be stored") }
            return APIResponse.json(DeployAnswer(result: outcome.rawValue))
        }
    }
}

/// `rustdesk --assign`'s body: the device, and the names to assign (absent = leave).
struct DeviceCLIBody: Decodable {
    let id: String
    let uuid: String
    let userName: String?
    let strategyName: String?
    let addressBookName: String?
    let addressBookTag: String?
    let addressBookAlias: String?
    let addressBookPassword: String?
    let addressBookNote: String?
    let deviceGroupName: String?
    let note: String?
    let deviceUsername: String?
    let deviceName: String?

    enum CodingKeys: String, CodingKey {
        case id, uuid, note
        case userName = "user_name"
        case strategyName = "strategy_name"
        case addressBookName = "address_book_name"
        case addressBookTag = "address_book_tag"
        case addressBookAlias = "address_book_alias"
        case addressBookPassword = "address_book_password"
        case addressBookNote = "address_book_note"
        case deviceGroupName = "device_group_name"
        case deviceUsername = "device_username"
        case deviceName = "device_name"
    }

    var assignment: DeviceAssignment {
        DeviceAssignment(
            userName: userName, deviceGroupName: deviceGroupName, strategyName: strategyName, note: note,
            deviceUsername: deviceUsername, deviceName: deviceName,
            addressBook: addressBookName.map { name in
                AddressBookPreset(
                    name: name, tag: addressBookTag ?? "", alias: addressBookAlias ?? "",
                    password: addressBookPassword ?? "", note: addressBookNote ?? "")
            })
    }
}

struct DeviceDeployBody: Decodable {
    let id: String
    let uuid: String
    let pk: String
}

struct DeployAnswer: Encodable {
    let result: String
}
