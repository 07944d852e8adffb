import Logging

/// device-groups.py's side of the admin API (admin-api.md §2): list, create, update (name, note,
/// `allowed_incomings`), delete, and add or remove devices by RustDesk ID. Membership changes go
/// through `DeviceService`, so the heartbeat's directory (and the strategy a device gets through its
/// group) follows at once; deleting a group first takes its devices out. Each change is audited.
public struct DeviceGroupAdministration: Sendable {
    public enum Failure: Error, Sendable, Equatable {
        case invalidName
        case nameTaken
        case unknownGroup
        case unknownRuleTarget
        /// `allowed_incomings` take user groups and users only.
        case invalidRuleKind
        /// A device the API has not seen (it never posted sysinfo or logged in).
        case unknownDevice(String)
        case store(APIStoreError)
    }

    public let devices: DeviceService
    public let store: any DeviceGroupAdminStore
    private let audit: ConsoleAuditLog
    private let clock: APIClock
    private let logger: Logger

    public init(
        devices: DeviceService, store: any DeviceGroupAdminStore, audit: ConsoleAuditLog, clock: APIClock = .system,
        logger: Logger
    ) {
        self.devices = devices
        self.store = store
        self.audit = audit
        self.clock = clock
        self.logger = logger
    }

    public func groups(named filter: LikeFilter?, page: PageRequest) async throws(APIStoreError)
        -> Page<DeviceGroupListing>
    {
        try await store.deviceGroups(named: filter, page: page)
    }

    public func create(name: String, note: String, incoming: [AccessRule], by caller: AdminCaller)
        async throws(Failure) -> DeviceGroupListing
    {
        guard UserAdministration.isValidName(name) else { throw .invalidName }
        try Self.check(incoming)
        let now = clock.now()
        let group = try await storeCall(onNotFound: Failure.unknownRuleTarget) { () async throws(APIStoreError) in
            try await store.insertDeviceGroup(name: name, note: note, incoming: incoming, now: now)
        }
        await audit.record(.addGroup, by: caller, ["device_group": name])
        return group
    }

    public func update(guid: String, name: String?, note: String?, incoming: [AccessRule]?, by caller: AdminCaller)
        async throws(Failure) -> DeviceGroupListing
    {
        _ = try await existing(guid)
        if let name, !UserAdministration.isValidName(name) { throw .invalidName }
        try Self.check(incoming ?? [])
        let updated = try await storeCall(onNotFound: Failure.unknownRuleTarget) { () async throws(APIStoreError) in
            try await store.updateDeviceGroup(guid: guid, name: name, note: note, incoming: incoming)
        }
        await audit.record(.updateGroup, by: caller, ["device_group": updated.group.name])
        return updated
    }

    public func delete(guid: String, by caller: AdminCaller) async throws(Failure) {
        let group = try await existing(guid).group
        try await storeCall(onNotFound: Failure.unknownGroup) { () async throws(APIStoreError) in
            for id in try await store.deviceIDs(inDeviceGroup: group.id) {
                try await devices.assignDeviceGroup(nil, toDevice: id)
            }
            try await store.deleteDeviceGroup(id: group.id)
        }
        logger.notice("device group deleted", metadata: ["group": "\(group.name)", "by": "\(caller)"])
        await audit.record(.deleteGroups, by: caller, ["device_group": group.name])
    }

    /// device-groups.py `add-devices` (`adding`) and `remove-devices`: devices by RustDesk ID. Every
    /// ID is checked first, so an unknown one changes nothing; removing a device that is not in the
    /// group leaves it where it is.
    public func setMembership(_ ids: [String], adding: Bool, guid: String, by caller: AdminCaller)
        async throws(Failure)
    {
        let group = try await existing(guid).group
        var members: [Device] = []
        for id in ids {
            guard
                let device = try await storeCall(
                    onNotFound: Failure.unknownDevice(id),
                    { () async throws(APIStoreError) in
                        try await devices.device(id: id)
                    })
            else { throw .unknownDevice(id) }
            members.append(device)
        }
        try await storeCall(onNotFound: Failure.unknownGroup) { () async throws(APIStoreError) in
            for device in members where adding || device.groupID == group.id {
                try await devices.assignDeviceGroup(adding ? group.id : nil, toDevice: device.id)
            }
        }
        await audit.record(
            .updateGroup, by: caller,
            ["device_group": group.name, adding ? "added_devices" : "removed_devices": ids.joined(separator: ",")])
    }

    private static func check(_ incoming: [AccessRule]) throws(Failure) {
        guard incoming.allSatisfy({ $0.kind != .deviceGroup }) else { throw .invalidRuleKind }
    }

    private func existing(_ guid: String) async throws(Failure) -> DeviceGroupListing {
        let found = try await storeCall(onNotFound: Failure.unknownGroup) { () async throws(APIStoreError) in
            try await store.deviceGroupListing(guid: guid)
        }
        guard let found else { throw .unknownGroup }
        return found
    }

}

extension DeviceGroupAdministration.Failure: StoreBackedFailure {}
