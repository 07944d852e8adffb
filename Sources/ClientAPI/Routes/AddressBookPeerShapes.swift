import APICore

/// The Peer object (http-api.md §4.6) as the client reads it: every key a string except `tags` (an
/// array) and `same_server` (a bool); `forceAlwaysRelay` is the string "true" or "false". Personal
/// books carry `hash` and never `password`, shared books the reverse.
struct AbPeerShape: Encodable {
    let id: String
    let hash: String?
    let password: String?
    let username: String
    let hostname: String
    let platform: String
    let alias: String
    let tags: [String]
    let note: String
    let forceAlwaysRelay: String
    let rdpPort: String
    let rdpUsername: String
    let loginName: String
    let deviceGroupName: String
    let sameServer: Bool

    enum CodingKeys: String, CodingKey {
        case id, hash, password, username, hostname, platform, alias, tags, note, forceAlwaysRelay, rdpPort
        case rdpUsername, loginName
        case deviceGroupName = "device_group_name"
        case sameServer = "same_server"
    }

    init(_ listed: ListedPeer, personal: Bool) {
        let peer = listed.peer
        id = peer.id
        hash = personal ? peer.hash : nil
        password = personal ? nil : peer.password
        username = peer.username
        hostname = peer.hostname
        platform = peer.platform
        alias = peer.alias
        tags = peer.tags
        note = peer.note
        forceAlwaysRelay = peer.forceAlwaysRelay ? "true" : "false"
        rdpPort = peer.rdpPort
        rdpUsername = peer.rdpUsername
        loginName = peer.loginName
        deviceGroupName = peer.deviceGroupName
        sameServer = listed.sameServer
    }
}

/// A Peer object in a request (peer add/update, the legacy upload): the keys it carries and nothing
/// else, so an update changes only what was sent. `same_server` and unknown keys are ignored.
struct AbPeerBody: Decodable {
    let patch: AddressBookPeerPatch

    enum CodingKeys: String, CodingKey {
        case id, hash, password, username, hostname, platform, alias, tags, note, forceAlwaysRelay, rdpPort
        case rdpUsername, loginName
        case deviceGroupName = "device_group_name"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        patch = AddressBookPeerPatch(
            id: container.lenientString(.id), hash: container.abOptionalString(.hash),
            password: container.abOptionalString(.password), username: container.abOptionalString(.username),
            hostname: container.abOptionalString(.hostname), platform: container.abOptionalString(.platform),
            alias: container.abOptionalString(.alias), note: container.abOptionalString(.note),
            tags: container.abOptionalStrings(.tags), forceAlwaysRelay: container.abOptionalBool(.forceAlwaysRelay),
            rdpPort: container.abOptionalString(.rdpPort), rdpUsername: container.abOptionalString(.rdpUsername),
            loginName: container.abOptionalString(.loginName),
            deviceGroupName: container.abOptionalString(.deviceGroupName))
    }
}
