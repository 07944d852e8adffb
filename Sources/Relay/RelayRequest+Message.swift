import RelayCore
import RendezvousProtocol

extension RelayRequest {
    /// The first unit's fields when it is a RequestRelay (hbbr.md §5 step 2).
    init?(_ message: Hbb_RendezvousMessage) {
        guard case .requestRelay(let request) = message.union else { return nil }
        self.init(uuid: request.uuid, licenceKey: request.licenceKey)
    }
}
