import APICore
import Foundation
import RendezvousCore
import RustDeskNIO

/// `RegisteredDevices` over hbbs's `PeerRegistry`: a lock-protected lookup in memory per call.
struct RegistryDevices: RegisteredDevices {
    let registry: PeerRegistry
    let clock: ServerClock

    func isRegistered(id: String) -> Bool { registry.peer(id) != nil }

    func matches(id: String, uuidBase64: String) -> Bool {
        guard !uuidBase64.isEmpty, uuidBase64.utf8.count <= 1024,
            let uuid = Data(base64Encoded: uuidBase64, options: [.ignoreUnknownCharacters]),
            let peer = registry.peer(id), !peer.uuid.isEmpty
        else { return false }
        return peer.uuid == [UInt8](uuid)
    }

    func isOnline(id: String) -> Bool { registry.peer(id)?.isOnline(now: clock.now()) ?? false }
}
