import APICore
import Logging

/// What the client API's routes are built with: one service per area, each owning its rules and
/// talking to the store through its protocol. An immutable value; `HbbsServer` builds one.
public struct ClientAPIServices: Sendable {
    public let accounts: AccountService
    /// hbbs's registry of peers, for device-scoped checks and online status.
    public let devices: any RegisteredDevices
    /// Heartbeat, sysinfo, strategies and the group tab.
    public let deviceService: DeviceService
    public let logger: Logger

    public init(accounts: AccountService, devices: any RegisteredDevices, deviceService: DeviceService, logger: Logger)
    {
        self.accounts = accounts
        self.devices = devices
        self.deviceService = deviceService
        self.logger = logger
    }
}
