/// Makes the `guid` primary key of a new row: 16 random bytes in UUID v4 layout, as the
/// reference `Uuid::new_v4()` does. Called by `PeerWriter` when an insert is submitted.
public enum PeerGUID {
    public static func make() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[6] = bytes[6] & 0x0F | 0x40  // version 4
        bytes[8] = bytes[8] & 0x3F | 0x80  // RFC 4122 variant
        return bytes
    }
}
