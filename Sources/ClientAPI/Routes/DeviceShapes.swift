import APICore

/// `POST /api/heartbeat`'s body (http-api.md §2.1); every key optional and leniently typed.
struct HeartbeatBody: Decodable {
    let heartbeat: Heartbeat

    enum CodingKeys: String, CodingKey {
        case id, uuid, ver, conns
        case modifiedAt = "modified_at"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // The client's connection ids are i32; anything else cannot name one of its connections.
        let conns = ((try? container.decodeIfPresent([Int64].self, forKey: .conns)) ?? []).prefix(256)
            .compactMap { Int32(exactly: $0) }
        heartbeat = Heartbeat(
            id: container.lenientString(.id), uuid: container.lenientString(.uuid),
            version: container.lenientInt64(.ver) ?? 0, connIDs: conns,
            modifiedAt: container.lenientInt64(.modifiedAt) ?? 0)
    }
}

/// The heartbeat's answer: only the keys that ask the client to do something, `{}` otherwise.
struct HeartbeatReply: Encodable {
    let answer: HeartbeatAnswer

    enum CodingKeys: String, CodingKey {
        case sysinfo, disconnect, strategy
        case modifiedAt = "modified_at"
    }

    /// `strategy`: `config_options` are written into the client's options ("" removes one).
    struct StrategyBody: Encodable {
        let configOptions: [String: String]
        let extra: [String: String]

        enum CodingKeys: String, CodingKey {
            case extra
            case configOptions = "config_options"
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if answer.needsSysinfo { try container.encode(true, forKey: .sysinfo) }
        if !answer.disconnect.isEmpty { try container.encode(answer.disconnect, forKey: .disconnect) }
        if let push = answer.strategy {
            try container.encode(push.modifiedAt, forKey: .modifiedAt)
            try container.encode(
                StrategyBody(configOptions: push.configOptions, extra: push.extra), forKey: .strategy)
        }
    }
}

/// `POST /api/sysinfo`'s body (http-api.md §2.2): the reported fields and the `preset-*` keys.
/// The raw text is kept by the route.
struct SysinfoBody: Decodable {
    let id: String
    let uuid: String
    let sysinfo: DeviceSysinfo
    let presets: DevicePresets

    enum CodingKeys: String, CodingKey {
        case id, uuid, cpu, memory, os, hostname, username, version
        case userName = "preset-user-name"
        case strategyName = "preset-strategy-name"
        case deviceGroupName = "preset-device-group-name"
        case note = "preset-note"
        case deviceUsername = "preset-device-username"
        case deviceName = "preset-device-name"
        case bookName = "preset-address-book-name"
        case bookTag = "preset-address-book-tag"
        case bookAlias = "preset-address-book-alias"
        case bookPassword = "preset-address-book-password"
        case bookNote = "preset-address-book-note"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = container.lenientString(.id)
        uuid = container.lenientString(.uuid)
        sysinfo = DeviceSysinfo(
            cpu: container.lenientString(.cpu), memory: container.lenientString(.memory),
            os: container.lenientString(.os), hostname: container.lenientString(.hostname),
            username: container.lenientString(.username), version: container.lenientString(.version))
        presets = DevicePresets(
            userName: container.lenientString(.userName), strategyName: container.lenientString(.strategyName),
            deviceGroupName: container.lenientString(.deviceGroupName), note: container.lenientString(.note),
            deviceUsername: container.lenientString(.deviceUsername),
            deviceName: container.lenientString(.deviceName),
            addressBook: AddressBookPreset(
                name: container.lenientString(.bookName), tag: container.lenientString(.bookTag),
                alias: container.lenientString(.bookAlias), password: container.lenientString(.bookPassword),
                note: container.lenientString(.bookNote)))
    }
}
