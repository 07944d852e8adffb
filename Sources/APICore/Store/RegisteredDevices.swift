/// What the API asks of hbbs's in-memory registry of peers that registered over UDP (never the disk):
/// whether an ID exists, whether a device-scoped request's `id` + `uuid` match the registered peer
/// (http-api.md §0.3: the uuid is the base64 of the bytes sent in RegisterPk), and whether it is online.
/// hbbs implements it over `PeerRegistry`; tests may use `FixedRegisteredDevices`.
public protocol RegisteredDevices: Sendable {
    func isRegistered(id: String) -> Bool
    /// True when `id` is registered and `uuidBase64` decodes to the uuid it registered with.
    func matches(id: String, uuidBase64: String) -> Bool
    func isOnline(id: String) -> Bool
}
