/// `POST /api/sysinfo` as the service sees it (http-api.md §2.2): the device's identity, what it
/// reported, and the deployment presets it carries (all optional, empty = absent).
public struct SysinfoUpload: Sendable, Equatable {
    public var id: String
    public var uuid: String
    public var sysinfo: DeviceSysinfo
    public var presets: DevicePresets

    public init(id: String, uuid: String, sysinfo: DeviceSysinfo, presets: DevicePresets = DevicePresets()) {
        self.id = id
        self.uuid = uuid
        self.sysinfo = sysinfo
        self.presets = presets
    }
}

/// The `preset-*` keys of a sysinfo upload: options an administrator baked into a custom client so
/// that a fresh install lands with the right owner, group, strategy and note. Each fills a field only
/// while it is unset, so a later change by an administrator survives the client's next upload.
/// `preset-device-username` / `preset-device-name` replace the reported username / hostname instead.
public struct DevicePresets: Sendable, Equatable {
    public var userName: String
    public var strategyName: String
    public var deviceGroupName: String
    public var note: String
    public var deviceUsername: String
    public var deviceName: String
    public var addressBook: AddressBookPreset

    public init(
        userName: String = "", strategyName: String = "", deviceGroupName: String = "", note: String = "",
        deviceUsername: String = "", deviceName: String = "", addressBook: AddressBookPreset = AddressBookPreset()
    ) {
        self.userName = userName
        self.strategyName = strategyName
        self.deviceGroupName = deviceGroupName
        self.note = note
        self.deviceUsername = deviceUsername
        self.deviceName = deviceName
        self.addressBook = addressBook
    }
}

/// The `preset-address-book-*` keys: put this device into the named address book with a tag, alias,
/// password and note. The address books are another area's; `DeviceService` hands these to its
/// `addressBookPresets` hook after the sysinfo is stored.
public struct AddressBookPreset: Sendable, Equatable {
    public var name: String
    public var tag: String
    public var alias: String
    public var password: String
    public var note: String

    public init(name: String = "", tag: String = "", alias: String = "", password: String = "", note: String = "") {
        self.name = name
        self.tag = tag
        self.alias = alias
        self.password = password
        self.note = note
    }

    /// Without a book name there is nothing to do.
    public var isEmpty: Bool { name.isEmpty }
}

/// The answer to a sysinfo upload, as the client reads it (plain text).
public enum SysinfoOutcome: Sendable, Equatable {
    /// Stored: `SYSINFO_UPDATED`.
    case updated
    /// The id + uuid do not name a registered device: `ID_NOT_FOUND` (the client retries on its next tick).
    case idNotFound
}

/// What the store writes for one sysinfo upload; the preset fields are applied only where the row's
/// field is still unset (owner, strategy, group, empty note).
public struct SysinfoRecord: Sendable, Equatable {
    public var deviceID: String
    public var uuid: String
    public var sysinfo: DeviceSysinfo
    public var presetOwnerID: User.ID?
    public var presetStrategyID: Strategy.ID?
    /// Created when missing.
    public var presetDeviceGroupName: String?
    public var presetNote: String?
    /// The server's `sysinfo_ver` at the time of the upload, kept on the row.
    public var sysinfoVersion: String
    public var now: Int64

    public init(
        deviceID: String, uuid: String, sysinfo: DeviceSysinfo, presetOwnerID: User.ID? = nil,
        presetStrategyID: Strategy.ID? = nil, presetDeviceGroupName: String? = nil, presetNote: String? = nil,
        sysinfoVersion: String = "", now: Int64
    ) {
        self.deviceID = deviceID
        self.uuid = uuid
        self.sysinfo = sysinfo
        self.presetOwnerID = presetOwnerID
        self.presetStrategyID = presetStrategyID
        self.presetDeviceGroupName = presetDeviceGroupName
        self.presetNote = presetNote
        self.sysinfoVersion = sysinfoVersion
        self.now = now
    }
}

/// A stored sysinfo: the device's directory entry after the write, and whether the stored text
/// differs from what was there before (a first upload counts as a change).
public struct SysinfoSaved: Sendable, Equatable {
    public var entry: DeviceDirectoryEntry
    public var changed: Bool

    public init(entry: DeviceDirectoryEntry, changed: Bool) {
        self.entry = entry
        self.changed = changed
    }
}
