/// Told by `AccountService` about every successful login, so the device the client logged in from
/// becomes that user's (as in Pro): its `id` + `uuid` must match the registered peer. Implemented by
/// `DeviceService`; failures are logged there and never fail the login.
public protocol DeviceOwnership: Sendable {
    func userLoggedIn(_ user: User, deviceID: String, uuidBase64: String) async
}
