import RustDeskCore

/// The OnlineResponse bitmap (spec/messages.md §3.19): exactly ceil(n/8) bytes, peer i in byte
/// i/8 at bit 7 − i mod 8. Clients index it unchecked, so the length must never be short.
public enum OnlineBitmap {
    public static func make(count: Int, isOnline: (Int) -> Bool) -> [UInt8] {
        var states = [UInt8](repeating: 0, count: (count + 7) / 8)
        for index in 0..<count where isOnline(index) {
            states[index / 8] |= 0x80 >> UInt8(index % 8)
        }
        return states
    }
}
