import Logging
import Synchronization

/// Device sync (http-api.md §2): heartbeats, sysinfo uploads and the sysinfo version, the binding of
/// a device to the user who logs in from it, strategies and device groups (managed here for the
/// admin API), and queued disconnect requests. Device-scoped calls are accepted only for an `id` +
/// `uuid` that match the peer registered over UDP.
///
/// The heartbeat is the hot path: it does one write (its time, through the store's group commit)
/// and answers from `directory`, never reading the disk. Routes: `DeviceRoutes`; the group tab's
/// reads are in `groupTab`.
public final class DeviceService: Sendable {
    public let store: any DeviceStore
    public let users: any AccountStore
    public let registered: any RegisteredDevices
    public let clock: APIClock
    /// Also read by the address books, for device names.
    public let directory: DeviceDirectory
    public let disconnects: DisconnectRequests
    public let groupTab: GroupTabService
    /// Unix seconds when this server started: part of `sysinfoVersion`, so a restart (which may have
    /// lost data) makes clients that compare versions upload again.
    public let startedAt: Int64
    /// Called after a sysinfo upload that carries `preset-address-book-*` keys, with the device's ID;
    /// hbbs passes `AddressBookService.applyDevicePreset`. Does nothing by default.
    private let addressBookPresets: @Sendable (_ deviceID: String, _ preset: AddressBookPreset) async -> Void
    private let logger: Logger
    /// How old a device's stored heartbeat time may get, in seconds, before a heartbeat writes it again.
    /// Clients beat every 15 s (every 3 s while someone is connected), and what reads the time (online
    /// lists, `last_online`, clean-up of stale devices) needs minutes, not seconds: a write per beat
    /// would be most of the API's disk and CPU for nothing. The exact time is kept in memory
    /// (`device(id:)` reports it); a crash loses at most this much of it.
    public let heartbeatResolution: Int64
    /// Bumped when a device's stored sysinfo changes.
    private let sysinfoGeneration = Atomic<Int64>(0)
    private let loading = Mutex(LoadState.idle)

    private enum LoadState {
        case idle
        case loading(Task<Void, any Error>)
        case loaded
    }

    public init(
        store: any DeviceStore, users: any AccountStore, registered: any RegisteredDevices, clock: APIClock = .system,
        directory: DeviceDirectory = DeviceDirectory(), disconnects: DisconnectRequests = DisconnectRequests(),
        heartbeatResolution: Int64 = 60,
        addressBookPresets: @escaping @Sendable (_ deviceID: String, _ preset: AddressBookPreset) async -> Void = {
            _, _ in
        },
        logger: Logger
    ) {
        self.store = store
        self.users = users
        self.registered = registered
        self.clock = clock
        self.heartbeatResolution = heartbeatResolution
        self.directory = directory
        self.disconnects = disconnects
        self.addressBookPresets = addressBookPresets
        self.logger = logger
        groupTab = GroupTabService(store: store)
        startedAt = clock.now()
    }

    // MARK: Directory

    /// Loads the directory from the store unless it is loaded; concurrent callers share one load, and
    /// a failed load is retried by the next caller. Every path that reads or updates the directory
    /// calls this first, so no update is ever overwritten by a load that started before it.
    public func loadDirectory() async throws(APIStoreError) {
        let task: Task<Void, any Error>? = loading.withLock { state in
            switch state {
            case .loaded: return nil
            case .loading(let task): return task
            case .idle:
                let task = Task { [self] in
                    let devices = try await store.deviceDirectory()
                    let policy = try await store.strategyPolicy()
                    directory.load(devices: devices, policy: policy)
                    loading.withLock { $0 = .loaded }
                }
                state = .loading(task)
                return task
            }
        }
        guard let task else { return }
        do {
            try await task.value
        } catch {
            loading.withLock { state in
                if case .loading = state { state = .idle }
            }
            throw (error as? APIStoreError) ?? .unavailable(reason: "device directory: \(error)")
        }
    }

    // MARK: Heartbeat, sysinfo

    /// One heartbeat. Its time is written (and committed before this returns) when the device has no
    /// row yet or its stored time is `heartbeatResolution` old; otherwise it is kept in memory and the
    /// answer comes at once. The answer always comes from memory, never from the disk.
    /// An unknown device, or one whose uuid does not match, gets "nothing to do" and costs no write:
    /// asking it for sysinfo would only make it retry an upload we refuse every 3 s.
    public func heartbeat(_ beat: Heartbeat) async throws(APIStoreError) -> HeartbeatAnswer {
        guard Self.names(beat, in: registered) else { return .nothing }
        try await loadDirectory()
        let now = clock.now()
        let noted = directory.beat(beat.id, at: now, resolution: heartbeatResolution)
        guard noted.persist else { return answer(beat, entry: noted.entry, policy: noted.policy, now: now) }
        let created = try await store.recordHeartbeat(deviceID: beat.id, uuid: beat.uuid, at: now)
        return answer(beat, committedAt: now, created: created)
    }

    /// The same heartbeat for a caller on an event loop (`HeartbeatFastPath`): no task, no suspension.
    /// `completion` runs here, at once, when there is nothing to write; otherwise on the store's writer
    /// once the write committed, and must then only hop back. Same rules as the async one.
    public func heartbeat(
        _ beat: Heartbeat, completion: @escaping @Sendable (Result<HeartbeatAnswer, APIStoreError>) -> Void
    ) {
        guard Self.names(beat, in: registered) else { return completion(.success(.nothing)) }
        guard isDirectoryLoaded else {
            // Only before the first load (hbbs loads it at start): the async path shares that load.
            Task {
                do throws(APIStoreError) {
                    completion(.success(try await heartbeat(beat)))
                } catch {
                    completion(.failure(error))
                }
            }
            return
        }
        let now = clock.now()
        let noted = directory.beat(beat.id, at: now, resolution: heartbeatResolution)
        guard noted.persist else {
            return completion(.success(answer(beat, entry: noted.entry, policy: noted.policy, now: now)))
        }
        store.recordHeartbeat(deviceID: beat.id, uuid: beat.uuid, at: now) { [self] result in
            completion(result.map { answer(beat, committedAt: now, created: $0) })
        }
    }

    /// Whether the heartbeat names a device registered over UDP with this uuid.
    private static func names(_ beat: Heartbeat, in registered: any RegisteredDevices) -> Bool {
        !beat.id.isEmpty && registered.matches(id: beat.id, uuidBase64: beat.uuid)
    }

    private var isDirectoryLoaded: Bool {
        loading.withLock { state in
            if case .loaded = state { return true }
            return false
        }
    }

    /// After the heartbeat's write committed: the directory learns the time and any row it created,
    /// then the answer comes from memory.
    private func answer(_ beat: Heartbeat, committedAt now: Int64, created: DeviceDirectoryEntry?) -> HeartbeatAnswer {
        if let created { directory.apply(created) }
        directory.persistedBeat(beat.id, at: now)
        let (entry, policy) = directory.snapshot(beat.id)
        return answer(beat, entry: entry, policy: policy, now: now)
    }

    private func answer(_ beat: Heartbeat, entry: DeviceDirectoryEntry?, policy: StrategyPolicy, now: Int64)
        -> HeartbeatAnswer
    {
        HeartbeatAnswer(
            needsSysinfo: !(entry?.hasSysinfo ?? false), disconnect: disconnects.take(deviceID: beat.id, now: now),
            strategy: policy.push(for: entry, clientStamp: beat.modifiedAt))
    }

    /// Stores a sysinfo upload and applies its presets.
    public func uploadSysinfo(_ upload: SysinfoUpload) async throws(APIStoreError) -> SysinfoOutcome {
        guard !upload.id.isEmpty, registered.matches(id: upload.id, uuidBase64: upload.uuid) else {
            return .idNotFound
        }
        try await loadDirectory()
        let presets = upload.presets
        var sysinfo = upload.sysinfo
        if !presets.deviceUsername.isEmpty { sysinfo.username = DeviceSysinfo.bounded(presets.deviceUsername) }
        if !presets.deviceName.isEmpty { sysinfo.hostname = DeviceSysinfo.bounded(presets.deviceName) }
        let (entry, policy) = directory.snapshot(upload.id)
        var ownerID: User.ID?
        if entry?.ownerID == nil, !presets.userName.isEmpty {
            ownerID = try await users.user(named: presets.userName)?.id
        }
        let strategyID = entry?.strategyID == nil ? policy.strategy(named: presets.strategyName)?.id : nil
        let groupName = Self.presetName(presets.deviceGroupName, unless: entry?.groupID != nil)
        let record = SysinfoRecord(
            deviceID: upload.id, uuid: upload.uuid, sysinfo: sysinfo, presetOwnerID: ownerID,
            presetStrategyID: strategyID, presetDeviceGroupName: groupName,
            presetNote: presets.note.isEmpty ? nil : DeviceSysinfo.bounded(presets.note),
            sysinfoVersion: sysinfoVersion, now: clock.now())
        let saved = try await store.saveSysinfo(record)
        directory.apply(saved.entry)
        if saved.changed { sysinfoGeneration.add(1, ordering: .relaxed) }
        if !presets.addressBook.isEmpty { await addressBookPresets(upload.id, presets.addressBook) }
        logger.debug("sysinfo stored", metadata: ["peer.id": "\(upload.id)", "changed": "\(saved.changed)"])
        return .updated
    }

    /// `POST /api/sysinfo_ver`: opaque, server-wide (the request names no device). Changes when the
    /// server restarts and when any stored sysinfo changes; a client re-uploads when it differs from
    /// the one it saw before its last upload, and an identical re-upload does not change it again.
    public var sysinfoVersion: String {
        "\(startedAt)-\(sysinfoGeneration.load(ordering: .relaxed))"
    }

    /// A device group name from a preset, bounded; nil when empty or when `skip`.
    private static func presetName(_ name: String, unless skip: Bool) -> String? {
        guard !skip, !name.isEmpty else { return nil }
        return name.count <= 100 ? name : String(name.prefix(100))
    }
}

extension DeviceService: DeviceOwnership {
    /// Binds the device the user logged in from to that user (only for a matching id + uuid).
    public func userLoggedIn(_ user: User, deviceID: String, uuidBase64: String) async {
        guard !deviceID.isEmpty, registered.matches(id: deviceID, uuidBase64: uuidBase64) else { return }
        do {
            try await loadDirectory()
            guard directory.entry(deviceID)?.ownerID != user.id else { return }
            let entry = try await store.setDeviceOwner(
                deviceID: deviceID, uuid: uuidBase64, ownerID: user.id, now: clock.now())
            directory.apply(entry)
            logger.info("device bound to user", metadata: ["peer.id": "\(deviceID)", "user": "\(user.name)"])
        } catch {
            logger.error(
                "binding a device at login failed", metadata: ["peer.id": "\(deviceID)", "error": "\(error)"])
        }
    }
}
