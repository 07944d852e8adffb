import APICore
import Foundation
import RendezvousCore
import RustDeskNIO

/// `RegisteredDevices` over hbbs's `PeerRegistry`: a lock-protected lookup in memory per call; the
/// uuid is compared under the shard lock, without copying the peer's record.
struct RegistryDevices: RegisteredDevices {
    let registry: PeerRegistry
    let clock: ServerClock

    func isRegistered(id: String) -> Bool { registry.peer(id) != nil }

    func matches(id: String, uuidBase64: String) -> Bool {
        guard !uuidBase64.isEmpty, uuidBase64.utf8.count <= 1024,
            let uuid = Data(base64Encoded: uuidBase64, options: [.ignoreUnknownCharacters])
        else { return false }
        return registry.withPeer(id) { $0?.hasUUID(uuid) ?? false }
    }

    func isOnline(id: String) -> Bool { registry.peer(id)?.isOnline(now: clock.now()) ?? false }
}
