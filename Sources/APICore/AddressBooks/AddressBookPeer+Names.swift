/// Filling a peer's names from what its device reported (http-api.md §4.7): only fields that are
/// empty, so names a user typed or the client synced from a session stay.
extension AddressBookPeer {
    mutating func fill(from names: PeerNames) {
        if username.isEmpty { username = names.username }
        if hostname.isEmpty { hostname = names.hostname }
        if platform.isEmpty { platform = names.platform }
    }
}

extension AddressBookPeerPatch {
    /// Sets the names the patch does not carry, or carries empty. On a peer the book already holds this
    /// replaces the stored names with the device's own report, which is fine: users do not type these,
    /// the client copies them from its sessions with the device.
    mutating func fill(from names: PeerNames) {
        if username?.isEmpty ?? true, !names.username.isEmpty { username = names.username }
        if hostname?.isEmpty ?? true, !names.hostname.isEmpty { hostname = names.hostname }
        if platform?.isEmpty ?? true, !names.platform.isEmpty { platform = names.platform }
    }
}
