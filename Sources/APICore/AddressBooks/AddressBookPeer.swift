/// A peer in an address book (http-api.md §4.6) as the store keeps it. `hash` (the saved password
/// hash) belongs to personal books and `password` (a device password shared with the book's users)
/// to shared books; the service keeps the other one empty.
public struct AddressBookPeer: Sendable, Equatable {
    /// The RustDesk ID (or an IP address for direct access).
    public var id: String
    public var hash: String
    public var password: String
    /// The OS user of the device.
    public var username: String
    public var hostname: String
    public var platform: String
    public var alias: String
    public var note: String
    public var tags: [String]
    public var forceAlwaysRelay: Bool
    public var rdpPort: String
    public var rdpUsername: String
    public var loginName: String
    public var deviceGroupName: String

    public init(
        id: String, hash: String = "", password: String = "", username: String = "", hostname: String = "",
        platform: String = "", alias: String = "", note: String = "", tags: [String] = [],
        forceAlwaysRelay: Bool = false, rdpPort: String = "", rdpUsername: String = "", loginName: String = "",
        deviceGroupName: String = ""
    ) {
        self.id = id
        self.hash = hash
        self.password = password
        self.username = username
        self.hostname = hostname
        self.platform = platform
        self.alias = alias
        self.note = note
        self.tags = tags
        self.forceAlwaysRelay = forceAlwaysRelay
        self.rdpPort = rdpPort
        self.rdpUsername = rdpUsername
        self.loginName = loginName
        self.deviceGroupName = deviceGroupName
    }
}

/// A peer as a list shows it: the stored peer and whether its ID is registered on this server
/// (`same_server`; the client then does not overwrite its names from its own recent sessions).
public struct ListedPeer: Sendable, Equatable {
    public var peer: AddressBookPeer
    public var sameServer: Bool

    public init(peer: AddressBookPeer, sameServer: Bool) {
        self.peer = peer
        self.sameServer = sameServer
    }
}

/// What an add or update request says about one peer: `id` and the fields it carries; nil = not
/// sent, so the stored value stays (a new peer starts empty).
public struct AddressBookPeerPatch: Sendable, Equatable {
    public var id: String
    public var hash: String?
    public var password: String?
    public var username: String?
    public var hostname: String?
    public var platform: String?
    public var alias: String?
    public var note: String?
    public var tags: [String]?
    public var forceAlwaysRelay: Bool?
    public var rdpPort: String?
    public var rdpUsername: String?
    public var loginName: String?
    public var deviceGroupName: String?

    public init(
        id: String, hash: String? = nil, password: String? = nil, username: String? = nil, hostname: String? = nil,
        platform: String? = nil, alias: String? = nil, note: String? = nil, tags: [String]? = nil,
        forceAlwaysRelay: Bool? = nil, rdpPort: String? = nil, rdpUsername: String? = nil, loginName: String? = nil,
        deviceGroupName: String? = nil
    ) {
        self.id = id
        self.hash = hash
        self.password = password
        self.username = username
        self.hostname = hostname
        self.platform = platform
        self.alias = alias
        self.note = note
        self.tags = tags
        self.forceAlwaysRelay = forceAlwaysRelay
        self.rdpPort = rdpPort
        self.rdpUsername = rdpUsername
        self.loginName = loginName
        self.deviceGroupName = deviceGroupName
    }

    /// `peer` with every field this patch carries replaced.
    public func applied(to peer: AddressBookPeer) -> AddressBookPeer {
        var peer = peer
        peer.hash = hash ?? peer.hash
        peer.password = password ?? peer.password
        peer.username = username ?? peer.username
        peer.hostname = hostname ?? peer.hostname
        peer.platform = platform ?? peer.platform
        peer.alias = alias ?? peer.alias
        peer.note = note ?? peer.note
        peer.tags = tags ?? peer.tags
        peer.forceAlwaysRelay = forceAlwaysRelay ?? peer.forceAlwaysRelay
        peer.rdpPort = rdpPort ?? peer.rdpPort
        peer.rdpUsername = rdpUsername ?? peer.rdpUsername
        peer.loginName = loginName ?? peer.loginName
        peer.deviceGroupName = deviceGroupName ?? peer.deviceGroupName
        return peer
    }

    /// The peer this patch makes when the book does not hold `id` yet.
    public var newPeer: AddressBookPeer { applied(to: AddressBookPeer(id: id)) }

    /// The patch as a book of this kind keeps it: personal books keep the password hash and never a
    /// shared password, shared books the reverse (http-api.md §4.7).
    public func forBook(personal: Bool) -> AddressBookPeerPatch {
        var patch = self
        if personal { patch.password = nil } else { patch.hash = nil }
        return patch
    }
}
