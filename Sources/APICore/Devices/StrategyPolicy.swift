/// Every strategy and who it is assigned to, small enough to keep in memory whole: the heartbeat
/// resolves a device's strategy from it without touching the disk. Replaced as a whole after each
/// change (with the `revision` of that write, like `DeviceDirectoryEntry`).
///
/// Resolution follows Pro's documented order: the device's own strategy, else its owner's, else its
/// device group's. A disabled strategy manages nothing, so a device resolved to one has none.
public struct StrategyPolicy: Sendable, Equatable {
    public let strategies: [Strategy.ID: Strategy]
    public let userStrategies: [User.ID: Strategy.ID]
    public let groupStrategies: [DeviceGroup.ID: Strategy.ID]
    public let revision: Int64
    /// Every option key a strategy sets or ever set: a device leaving a strategy (or a strategy dropping
    /// a key) gets these cleared, so what was forced falls back to the client's default.
    public let managedKeys: Set<String>

    /// `retiredKeys`: option keys strategies set in the past (the store remembers every one).
    public init(
        strategies: [Strategy.ID: Strategy] = [:], userStrategies: [User.ID: Strategy.ID] = [:],
        groupStrategies: [DeviceGroup.ID: Strategy.ID] = [:], retiredKeys: Set<String> = [], revision: Int64 = 0
    ) {
        self.strategies = strategies
        self.userStrategies = userStrategies
        self.groupStrategies = groupStrategies
        self.revision = revision
        managedKeys = retiredKeys.union(strategies.values.flatMap(\.options.keys))
    }

    /// The enabled strategy that governs `device`, or nil.
    public func strategy(for device: DeviceDirectoryEntry?) -> Strategy? {
        guard let device else { return nil }
        let assigned =
            device.strategyID ?? device.ownerID.flatMap { userStrategies[$0] }
            ?? device.groupID.flatMap { groupStrategies[$0] }
        guard let assigned, let strategy = strategies[assigned], strategy.enabled else { return nil }
        return strategy
    }

    /// The strategy named `name` (ignoring case), for the `preset-strategy-name` deployment option.
    public func strategy(named name: String) -> Strategy? {
        let key = name.lowercased()
        return strategies.values.first { $0.name.lowercased() == key }
    }

    /// What the heartbeat answers when the client holds `clientStamp`: nil when that is already the
    /// device's strategy (0 = none); otherwise the stamp to store and the options to apply, with every
    /// other managed key set to "" (the client removes an option given an empty value).
    public func push(for device: DeviceDirectoryEntry?, clientStamp: Int64) -> StrategyPush? {
        let strategy = strategy(for: device)
        let stamp = strategy?.modifiedAt ?? 0
        guard stamp != clientStamp else { return nil }
        var options: [String: String] = [:]
        for key in managedKeys { options[key] = "" }
        options.merge(strategy?.options ?? [:]) { _, new in new }
        return StrategyPush(modifiedAt: stamp, configOptions: options, extra: strategy?.extra ?? [:])
    }
}

/// The heartbeat's `modified_at` + `strategy` keys.
public struct StrategyPush: Sendable, Equatable {
    public var modifiedAt: Int64
    public var configOptions: [String: String]
    public var extra: [String: String]

    public init(modifiedAt: Int64, configOptions: [String: String], extra: [String: String]) {
        self.modifiedAt = modifiedAt
        self.configOptions = configOptions
        self.extra = extra
    }
}
