import NIOCore
import RendezvousProtocol
import RustDeskCore

/// What the first bytes on a plain TCP port are, where a loopback client may instead be the text
/// console (hbbs.md §12, hbbr.md §7): shared by hbbs's NAT port and hbbr's relay port. The console
/// reads once, so for a console candidate the first read always decides.
///
/// Unlike the reference, a loopback client whose first read holds a RendezvousMessage frame is served
/// as a client, so clients on the server's own host work.
public enum FirstUnitSniffer {
    /// The console reads at most this much of its command, like the reference's one read.
    public static let consoleReadLimit = 1024

    public enum Verdict {
        /// A whole frame holding a RendezvousMessage of a known kind, `frameLength` bytes long with its
        /// header; anything buffered behind it is not part of it.
        case message(Hbb_RendezvousMessage, frameLength: Int)
        /// A console command: up to `consoleReadLimit` bytes of what was read; nil when that is not UTF-8,
        /// which gets no reply, as in the reference.
        case console(String?)
        /// Not decidable yet: read more.
        case needMoreData
        /// A whole frame that is not a RendezvousMessage of a known kind.
        case unreadable
        /// The header announces more than `maximumPayload`.
        case oversized
    }

    /// Sniffs `buffer` (everything read so far). `consoleCandidate`: a loopback connection with the
    /// console on, for which whatever is not a message is a command.
    public static func sniff(_ buffer: ByteBuffer, maximumPayload: Int, consoleCandidate: Bool) -> Verdict {
        let parse: FrameCodec.Parse
        do {
            parse = try buffer.withUnsafeReadableBytes { try FrameCodec.parse($0, maximumPayload: maximumPayload) }
        } catch {
            return consoleCandidate ? console(buffer) : .oversized
        }
        guard case .frame(let headerLength, let payloadLength) = parse else {
            return consoleCandidate ? console(buffer) : .needMoreData
        }
        let payload = buffer.getSlice(at: buffer.readerIndex + headerLength, length: payloadLength) ?? ByteBuffer()
        guard let message = try? Hbb_RendezvousMessage(buffer: payload), message.union != nil else {
            return consoleCandidate ? console(buffer) : .unreadable
        }
        return .message(message, frameLength: headerLength + payloadLength)
    }

    private static func console(_ buffer: ByteBuffer) -> Verdict {
        let bytes = buffer.readableBytesView.prefix(consoleReadLimit)
        return .console(String(validating: bytes, as: UTF8.self))
    }
}
