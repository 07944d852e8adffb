import NIOCore
import RustDeskCore

/// Pre-encoded replies for the hot UDP path: the same few bytes answer most datagrams, so they are
/// built once (spec/messages.md §6 lists them) and shared; ByteBuffer is copy-on-write.
enum CachedReplies {
    static let noRequestPk = ByteBuffer(bytes: [0x3A, 0x00])
    static let requestPk = ByteBuffer(bytes: [0x3A, 0x02, 0x10, 0x01])

    private static let ok = ByteBuffer(bytes: [0x82, 0x01, 0x00])
    private static let uuidMismatch = ByteBuffer(bytes: [0x82, 0x01, 0x02, 0x08, 0x02])
    private static let tooFrequent = ByteBuffer(bytes: [0x82, 0x01, 0x02, 0x08, 0x04])
    private static let notSupport = ByteBuffer(bytes: [0x82, 0x01, 0x02, 0x08, 0x06])
    private static let serverError = ByteBuffer(bytes: [0x82, 0x01, 0x02, 0x08, 0x07])

    static func registerPk(_ result: RegisterPkResult) -> ByteBuffer {
        switch result {
        case .ok: ok
        case .uuidMismatch: uuidMismatch
        case .tooFrequent: tooFrequent
        case .notSupport: notSupport
        case .serverError: serverError
        }
    }
}
