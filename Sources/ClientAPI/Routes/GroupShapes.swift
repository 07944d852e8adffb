import APICore

/// PeerPayload (http-api.md §5.2). `user_name` is the owner's account name exactly as `/api/users`
/// gives it: the client files each device under the user of that name. `status` is the device's
/// state in Pro's sense (1 = enabled; every device is, until devices can be disabled); the client
/// takes online status from hbbs, not from here.
struct PeerPayload: Encodable, Equatable {
    let id: String
    let info: Info
    let status: Int
    let user: String
    let userName: String
    let deviceGroupName: String
    let note: String

    struct Info: Encodable, Equatable {
        let username: String
        let os: String
        let deviceName: String

        enum CodingKeys: String, CodingKey {
            case username, os
            case deviceName = "device_name"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, info, status, user, note
        case userName = "user_name"
        case deviceGroupName = "device_group_name"
    }

    init(_ device: DeviceListing) {
        id = device.id
        info = Info(username: device.username, os: device.os, deviceName: device.hostname)
        status = 1
        user = device.ownerName
        userName = device.ownerName
        deviceGroupName = device.deviceGroupName
        note = device.note
    }
}

/// An accessible device group (http-api.md §5.3): the client reads only `name`.
struct DeviceGroupPayload: Encodable, Equatable {
    let name: String
}
