import RendezvousCore
import RustDeskCore

/// Pre-encoded replies for the hot UDP path: the same few bytes answer most datagrams, so they are
/// built once (spec/messages.md §6 lists them) and shared.
enum CachedReplies {
    static let noRequestPk: [UInt8] = [0x3A, 0x00]
    static let requestPk: [UInt8] = [0x3A, 0x02, 0x10, 0x01]

    private static let ok: [UInt8] = [0x82, 0x01, 0x00]
    private static let uuidMismatch: [UInt8] = [0x82, 0x01, 0x02, 0x08, 0x02]
    private static let idExists: [UInt8] = [0x82, 0x01, 0x02, 0x08, 0x03]
    private static let invalidIDFormat: [UInt8] = [0x82, 0x01, 0x02, 0x08, 0x05]
    private static let tooFrequent: [UInt8] = [0x82, 0x01, 0x02, 0x08, 0x04]
    private static let notSupport: [UInt8] = [0x82, 0x01, 0x02, 0x08, 0x06]
    private static let serverError: [UInt8] = [0x82, 0x01, 0x02, 0x08, 0x07]

    static func registerPk(_ result: RegisterPkResult) -> [UInt8] {
        switch result {
        case .ok: ok
        case .uuidMismatch: uuidMismatch
        case .idExists: idExists
        case .invalidIDFormat: invalidIDFormat
        case .tooFrequent: tooFrequent
        case .notSupport: notSupport
        case .serverError: serverError
        }
    }
}
