import Logging

/// strategies.py's side of the admin API (admin-api.md §2): list and view strategies, enable or
/// disable one, and assign one to (or, without a strategy, unassign from) devices, users and device
/// groups named by guid. Changes go through `DeviceService`, which updates the in-memory policy the
/// heartbeat pushes strategies from, so devices receive a change at their next heartbeat.
public struct StrategyAdministration: Sendable {
    public enum Failure: Error, Sendable, Equatable {
        case unknownStrategy
        /// An assignment names a device, user or device group that does not exist: `kind` and `guid`.
        case unknownTarget(kind: String, guid: String)
        case store(APIStoreError)
    }

    /// Who gets (or loses) a strategy.
    public struct Assignment: Sendable, Equatable {
        public var strategyGUID: String?
        public var deviceGUIDs: [String]
        public var userGUIDs: [String]
        public var deviceGroupGUIDs: [String]

        public init(strategyGUID: String?, deviceGUIDs: [String], userGUIDs: [String], deviceGroupGUIDs: [String]) {
            self.strategyGUID = strategyGUID
            self.deviceGUIDs = deviceGUIDs
            self.userGUIDs = userGUIDs
            self.deviceGroupGUIDs = deviceGroupGUIDs
        }
    }

    public let devices: DeviceService
    public let store: any StrategyAdminStore & UserAdminStore & DeviceStore
    private let audit: ConsoleAuditLog
    private let logger: Logger

    public init(
        devices: DeviceService, store: any StrategyAdminStore & UserAdminStore & DeviceStore, audit: ConsoleAuditLog,
        logger: Logger
    ) {
        self.devices = devices
        self.store = store
        self.audit = audit
        self.logger = logger
    }

    /// Every strategy, by name.
    public func strategies() async throws(APIStoreError) -> [Strategy] {
        try await store.strategyPolicy().strategies.values.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }

    public func strategy(guid: String) async throws(Failure) -> Strategy {
        let all = try await run { () async throws(APIStoreError) in try await strategies() }
        guard let strategy = all.first(where: { $0.guid == guid }) else { throw .unknownStrategy }
        return strategy
    }

    public func setEnabled(_ enabled: Bool, guid: String, by caller: AdminCaller) async throws(Failure) {
        let strategy = try await strategy(guid: guid)
        _ = try await run { () async throws(APIStoreError) in
            try await devices.updateStrategy(strategy.id, enabled: enabled)
        }
        logger.notice(
            enabled ? "strategy enabled" : "strategy disabled",
            metadata: ["strategy": "\(strategy.name)", "by": "\(caller)"])
        await audit.record(.updateStrategy, by: caller, ["strategy": strategy.name, "enabled": "\(enabled)"])
    }

    /// Resolves every guid first, so an unknown one changes nothing; then assigns.
    public func assign(_ assignment: Assignment, by caller: AdminCaller) async throws(Failure) {
        let strategy = try await assignment.strategyGUID.asyncMap { guid throws(Failure) in
            try await self.strategy(guid: guid)
        }
        var deviceIDs: [String] = []
        for guid in assignment.deviceGUIDs {
            guard let id = try await run({ () async throws(APIStoreError) in try await store.deviceID(guid: guid) })
            else {
                throw .unknownTarget(kind: "device", guid: guid)
            }
            deviceIDs.append(id)
        }
        var users: [User] = []
        for guid in assignment.userGUIDs {
            guard let user = try await run({ () async throws(APIStoreError) in try await store.user(guid: guid) })
            else {
                throw .unknownTarget(kind: "user", guid: guid)
            }
            users.append(user)
        }
        var groups: [DeviceGroup] = []
        for guid in assignment.deviceGroupGUIDs {
            guard
                let group = try await run({ () async throws(APIStoreError) in try await store.deviceGroup(guid: guid) })
            else { throw .unknownTarget(kind: "device group", guid: guid) }
            groups.append(group)
        }
        let strategyID = strategy?.id
        try await run { () async throws(APIStoreError) in
            for id in deviceIDs { try await devices.assignStrategy(strategyID, toDevice: id) }
            for user in users { try await devices.assignStrategy(strategyID, toUser: user.id) }
            for group in groups { try await devices.assignStrategy(strategyID, toDeviceGroup: group.id) }
        }
        logger.notice("strategy assigned", metadata: ["strategy": "\(strategy?.name ?? "none")", "by": "\(caller)"])
        await audit.record(
            .assignStrategy, by: caller,
            [
                "strategy": strategy?.name ?? "", "devices": deviceIDs.joined(separator: ","),
                "users": users.map(\.name).joined(separator: ","),
                "device_groups": groups.map(\.name).joined(separator: ","),
            ])
    }

    private func run<T>(_ body: () async throws(APIStoreError) -> T) async throws(Failure) -> T {
        do throws(APIStoreError) {
            return try await body()
        } catch .notFound {
            throw .unknownStrategy
        } catch {
            throw .store(error)
        }
    }
}

extension Optional {
    fileprivate func asyncMap<T, E: Error>(_ transform: (Wrapped) async throws(E) -> T) async throws(E) -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
