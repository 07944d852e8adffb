import Logging
import RustDeskCore

/// devices.py's side of the admin API (admin-api.md §2) and `rustdesk --assign`: list devices (each
/// with its online state from hbbs's registry and its last heartbeat from memory when that is newer
/// than the stored one, which is stored to the minute), enable or disable one, delete a disabled one,
/// and assign owner, device group, strategy, note, names and address book. Every change updates the
/// in-memory directory that the heartbeat and hbbs's connection policy read, and is audited.
public struct DeviceAdministration: Sendable {
    public enum Failure: Error, Sendable, Equatable {
        case unknownDevice
        /// Pro's rule: only a disabled device may be deleted.
        case enabled
        /// An assignment names a user, device group, strategy or shared book that does not exist.
        case unknownTarget(kind: String, name: String)
        case invalidValue(String)
        case store(APIStoreError)
    }

    public let devices: DeviceService
    public let store: any DeviceAdminStore & AccountStore & DeviceStore
    private let audit: ConsoleAuditLog
    private let deployment: any DeviceDeployment
    private let addressBookPresets:
        @Sendable (_ deviceID: String, _ preset: AddressBookPreset) async -> DevicePresetOutcome
    private let logger: Logger

    public init(
        devices: DeviceService, store: any DeviceAdminStore & AccountStore & DeviceStore, audit: ConsoleAuditLog,
        deployment: any DeviceDeployment,
        addressBookPresets:
            @escaping @Sendable (_ deviceID: String, _ preset: AddressBookPreset) async ->
            DevicePresetOutcome,
        logger: Logger
    ) {
        self.devices = devices
        self.store = store
        self.audit = audit
        self.deployment = deployment
        self.addressBookPresets = addressBookPresets
        self.logger = logger
    }

    public func devices(matching filter: DeviceFilter, page: PageRequest) async throws(APIStoreError)
        -> Page<AdminDeviceListing>
    {
        var list = try await store.devices(matching: filter, page: page)
        for index in list.items.indices {
            let id = list.items[index].device.id
            list.items[index].online = devices.registered.isOnline(id: id)
            if let seen = devices.directory.lastHeartbeat(id), seen > list.items[index].device.lastHeartbeatAt ?? .min {
                list.items[index].device.lastHeartbeatAt = seen
            }
        }
        return list
    }

    /// A disabled device stays registered (its heartbeats are answered as before) but hbbs refuses
    /// every connection to it.
    public func setEnabled(_ enabled: Bool, guid: String, by caller: AdminCaller) async throws(Failure) {
        let entry = try await run { () async throws(APIStoreError) in
            try await store.setDisabled(!enabled, deviceGUID: guid, now: devices.clock.now())
        }
        devices.directory.apply(entry)
        logger.notice(
            enabled ? "device enabled" : "device disabled", metadata: ["peer.id": "\(entry.id)", "by": "\(caller)"])
        await audit.record(enabled ? .enableDevices : .disableDevices, by: caller, ["id": entry.id])
    }

    /// Removes the device's API row (owner, groups, sysinfo); its registration with hbbs stays, as
    /// rustdesk-server keeps `peer` rows. A device that is still running comes back as a new, enabled
    /// row at its next sysinfo upload, so Pro's rule that it be disabled first is kept.
    public func delete(guid: String, by caller: AdminCaller) async throws(Failure) {
        let device: Device
        do throws(APIStoreError) {
            device = try await store.deleteDisabledDevice(guid: guid)
        } catch .conflict {
            throw .enabled
        } catch .notFound {
            throw .unknownDevice
        } catch {
            throw .store(error)
        }
        devices.directory.remove(device.id)
        logger.notice("device deleted", metadata: ["peer.id": "\(device.id)", "by": "\(caller)"])
        await audit.record(.deleteDevice, by: caller, ["id": device.id])
    }

    /// devices.py `assign`: the device named by guid.
    public func assign(_ assignment: DeviceAssignment, toGUID guid: String, by caller: AdminCaller)
        async throws(Failure)
    {
        guard let device = try await run({ () async throws(APIStoreError) in try await store.device(guid: guid) })
        else { throw .unknownDevice }
        try await assign(assignment, to: device.id, by: caller)
    }

    /// `rustdesk --assign`: the device names itself by ID and uuid (base64), which must match its
    /// registration with hbbs; its row is created if it has not posted sysinfo yet.
    public func assign(
        _ assignment: DeviceAssignment, toDevice id: String, uuidBase64: String, by caller: AdminCaller
    ) async throws(Failure) {
        guard devices.registered.matches(id: id, uuidBase64: uuidBase64) else { throw .unknownDevice }
        let entry = try await run { () async throws(APIStoreError) in
            try await store.ensureDevice(id: id, uuid: uuidBase64, now: devices.clock.now())
        }
        devices.directory.apply(entry)
        try await assign(assignment, to: id, by: caller)
    }

    /// `rustdesk --deploy`: claims `id` for the device with this uuid and key (both base64).
    public func deploy(id: String, uuidBase64: String, pkBase64: String, by caller: AdminCaller) async
        -> DeployOutcome
    {
        guard DeployOutcome.isDeployableID(id), uuidBase64.utf8.count <= 1024, pkBase64.utf8.count <= 64,
            let uuid = Base64.decode(uuidBase64), !uuid.isEmpty, let pk = Base64.decode(pkBase64), pk.count == 32
        else { return .invalidInput }
        let outcome = await deployment.deploy(id: id, uuid: uuid, pk: pk)
        logger.notice(
            "device deployed", metadata: ["peer.id": "\(id)", "result": "\(outcome.rawValue)", "by": "\(caller)"])
        if outcome == .ok { await audit.record(.addDevice, by: caller, ["id": id]) }
        return outcome
    }

    /// Resolves every name first, so an unknown one changes nothing; then applies each part.
    public func assign(_ assignment: DeviceAssignment, to id: String, by caller: AdminCaller) async throws(Failure) {
        let owner = try await resolve(assignment.userName, kind: "user") { name throws(APIStoreError) in
            try await store.user(named: name).map(\.id)
        }
        let group = try await resolve(assignment.deviceGroupName, kind: "device group") { name throws(APIStoreError) in
            try await store.deviceGroup(named: name).map(\.id)
        }
        let strategy = try await resolve(assignment.strategyName, kind: "strategy") { name throws(APIStoreError) in
            try await store.strategyPolicy().strategy(named: name)?.id
        }
        try await run { () async throws(APIStoreError) in
            if let owner { try await devices.assignOwner(owner, toDevice: id) }
            if let group { try await devices.assignDeviceGroup(group, toDevice: id) }
            if let strategy { try await devices.assignStrategy(strategy, toDevice: id) }
            if let note = assignment.note {
                try await store.setNote(deviceID: id, note: DeviceSysinfo.bounded(note), now: devices.clock.now())
            }
            if assignment.deviceName != nil || assignment.deviceUsername != nil {
                let entry = try await store.setNames(
                    deviceID: id, hostname: assignment.deviceName.map(DeviceSysinfo.bounded),
                    username: assignment.deviceUsername.map(DeviceSysinfo.bounded), now: devices.clock.now())
                devices.directory.apply(entry)
            }
        }
        if let book = assignment.addressBook {
            switch await addressBookPresets(id, book) {
            case .applied: break
            case .noSuchBook: throw .unknownTarget(kind: "address book", name: book.name)
            case .invalid, .bookFull: throw .invalidValue("The address book cannot take this device")
            case .unavailable: throw .store(.unavailable(reason: "address book"))
            }
        }
        logger.notice("device assigned", metadata: ["peer.id": "\(id)", "by": "\(caller)"])
        await audit.record(.updateDevice, by: caller, pairs: [("id", id)] + assignment.auditInfo)
    }

    /// nil when `name` is nil (leave as is); `.some(nil)` for "" (unassign); `.unknownTarget` when the
    /// name matches nothing.
    private func resolve<ID>(
        _ name: String?, kind: String, _ lookup: (String) async throws(APIStoreError) -> ID?
    ) async throws(Failure) -> ID?? {
        guard let name else { return nil }
        if name.isEmpty { return .some(nil) }
        guard let id = try await run({ () async throws(APIStoreError) in try await lookup(name) }) else {
            throw .unknownTarget(kind: kind, name: name)
        }
        return .some(id)
    }

    private func run<T>(_ body: () async throws(APIStoreError) -> T) async throws(Failure) -> T {
        do throws(APIStoreError) {
            return try await body()
        } catch .notFound {
            throw .unknownDevice
        } catch {
            throw .store(error)
        }
    }
}
