import APICore
import Logging

/// What the client API's routes are built with: one service per area, each owning its rules and
/// talking to the store through its protocol. An immutable value; `HbbsServer` builds one.
public struct ClientAPIServices: Sendable {
    public let accounts: AccountService
    public let addressBooks: AddressBookService
    /// hbbs's registry of peers, for device-scoped checks and online status.
    public let devices: any RegisteredDevices
    public let logger: Logger

    public init(
        accounts: AccountService, addressBooks: AddressBookService, devices: any RegisteredDevices, logger: Logger
    ) {
        self.accounts = accounts
        self.addressBooks = addressBooks
        self.devices = devices
        self.logger = logger
    }
}
