import APICore
import Logging

/// What the client API's routes are built with: one service per area, each owning its rules and
/// talking to the store through its protocol. An immutable value; `HbbsServer` builds one.
public struct ClientAPIServices: Sendable {
    public let accounts: AccountService
    public let logger: Logger

    public init(accounts: AccountService, logger: Logger) {
        self.accounts = accounts
        self.logger = logger
    }
}
