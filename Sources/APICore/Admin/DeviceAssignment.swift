/// What an administrator assigns to one device (devices.py `assign`, `rustdesk --assign`): each field
/// nil = leave as is. For the owner, device group and strategy an empty name unassigns.
public struct DeviceAssignment: Sendable, Equatable {
    public var userName: String?
    public var deviceGroupName: String?
    public var strategyName: String?
    public var note: String?
    public var deviceUsername: String?
    public var deviceName: String?
    /// Adds the device to this shared book (with its tag, alias, password, note).
    public var addressBook: AddressBookPreset?

    public init(
        userName: String? = nil, deviceGroupName: String? = nil, strategyName: String? = nil, note: String? = nil,
        deviceUsername: String? = nil, deviceName: String? = nil, addressBook: AddressBookPreset? = nil
    ) {
        self.userName = userName
        self.deviceGroupName = deviceGroupName
        self.strategyName = strategyName
        self.note = note
        self.deviceUsername = deviceUsername
        self.deviceName = deviceName
        self.addressBook = addressBook
    }

    /// devices.py's `{"type", "value"}`; nil for an unknown type. `ab`'s value is
    /// `book[,tag,alias,password,note]`.
    public init?(type: String, value: String) {
        self.init()
        switch type {
        case "user_name": userName = value
        case "device_group_name": deviceGroupName = value
        case "strategy_name": strategyName = value
        case "note": note = value
        case "device_username": deviceUsername = value
        case "device_name": deviceName = value
        case "ab":
            let parts = value.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
            func part(_ index: Int) -> String { index < parts.count ? parts[index] : "" }
            addressBook = AddressBookPreset(
                name: part(0), tag: part(1), alias: part(2), password: part(3), note: part(4))
        default: return nil
        }
    }

    public var isEmpty: Bool { self == DeviceAssignment() }

    /// The permission areas its names reach into, besides the device itself.
    public var areas: [APIPermissions.Area] {
        var areas: [APIPermissions.Area] = []
        if userName != nil { areas.append(.user) }
        if deviceGroupName != nil { areas.append(.deviceGroup) }
        if strategyName != nil { areas.append(.strategy) }
        if addressBook != nil { areas.append(.addressBook) }
        return areas
    }

    /// What the console audit records: the assigned names, never the book password.
    var auditInfo: [(String, String)] {
        var info: [(String, String)] = []
        if let userName { info.append(("user_name", userName)) }
        if let deviceGroupName { info.append(("device_group_name", deviceGroupName)) }
        if let strategyName { info.append(("strategy_name", strategyName)) }
        if let note { info.append(("note", note)) }
        if let deviceUsername { info.append(("device_username", deviceUsername)) }
        if let deviceName { info.append(("device_name", deviceName)) }
        if let addressBook { info.append(("address_book", addressBook.name)) }
        return info
    }
}
