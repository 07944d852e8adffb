/// A tag of an address book and its colour: an unsigned 32-bit ARGB value, usually above 2^31
/// (correction 10), kept and sent unsigned.
public struct AddressBookTag: Sendable, Equatable {
    public var name: String
    public var color: UInt32

    public init(name: String, color: UInt32) {
        self.name = name
        self.color = color
    }

    /// A colour the client sent: 0...4294967295, or a negative 32-bit value that some encoders
    /// produce for the same ARGB bits. Anything else is not a colour.
    public static func color(fromJSON value: Int64) -> UInt32? {
        if let unsigned = UInt32(exactly: value) { return unsigned }
        if let signed = Int32(exactly: value) { return UInt32(bitPattern: signed) }
        return nil
    }

    /// The colour a tag gets when a legacy-book upload names it without one: opaque, and different
    /// for different names (FNV-1a of the name), so tags stay distinguishable.
    public static func defaultColor(for name: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return 0xFF00_0000 | (hash & 0x00FF_FFFF)
    }
}
