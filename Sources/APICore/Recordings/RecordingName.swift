/// The `file` of `POST /api/record`: a plain name inside the recordings directory, never a path.
/// Clients name recordings `incoming_<id>_<time>_display<n>_<codec>.webm` (or `.mp4`; older ones
/// `s<id>_<time>_<codec>.webm`), so only letters, digits, `.`, `_` and `-` are accepted, with one of
/// the two extensions, no leading dot and no `..`; anything else is refused before the disk is touched.
public struct RecordingName: Sendable, Hashable, CustomStringConvertible {
    public static let maxLength = 255
    public static let extensions = [".webm", ".mp4"]

    public let text: String

    public init?(_ raw: String) {
        guard raw.utf8.count <= Self.maxLength, raw.utf8.first != UInt8(ascii: "."), !raw.contains(".."),
            raw.utf8.allSatisfy(Self.isAllowed),
            Self.extensions.contains(where: { raw.hasSuffix($0) && raw.utf8.count > $0.utf8.count })
        else { return nil }
        text = raw
    }

    public var description: String { text }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }
}
