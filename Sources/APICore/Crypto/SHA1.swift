/// SHA-1 (FIPS 180-4 §6.1), only for HMAC-SHA1 in TOTP: authenticator apps expect it and libsodium has none.
///
/// Never use it for anything collision resistance matters to; HMAC-SHA1 stays sound because HMAC needs only a
/// pseudorandom compression function. Pure Swift with wrapping arithmetic, so any input hashes without a trap.
public enum SHA1 {
    public static let digestBytes = 20
    public static let blockBytes = 64

    public static func hash(_ message: [UInt8]) -> [UInt8] {
        var state: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var schedule = [UInt32](repeating: 0, count: 80)
        let fullBlocks = message.count / blockBytes
        for block in 0..<fullBlocks {
            compress(message, at: block * blockBytes, into: &state, schedule: &schedule)
        }
        let tail = paddedTail(of: message)
        for block in stride(from: 0, to: tail.count, by: blockBytes) {
            compress(tail, at: block, into: &state, schedule: &schedule)
        }
        var digest = [UInt8]()
        digest.reserveCapacity(digestBytes)
        for word in state {
            for shift: UInt32 in [24, 16, 8, 0] { digest.append(UInt8(truncatingIfNeeded: word >> shift)) }
        }
        return digest
    }

    /// The bytes after the last full block, then 0x80, zeros and the message length in bits (big-endian), making
    /// one or two blocks.
    private static func paddedTail(of message: [UInt8]) -> [UInt8] {
        var tail = Array(message[(message.count / blockBytes * blockBytes)...])
        tail.append(0x80)
        while tail.count % blockBytes != blockBytes - 8 { tail.append(0) }
        let bitLength = UInt64(message.count) &* 8
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        return tail
    }

    private static func compress(
        _ bytes: [UInt8], at offset: Int, into state: inout [UInt32], schedule w: inout [UInt32]
    ) {
        for t in 0..<16 {
            let i = offset + t * 4
            w[t] =
                UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8
                | UInt32(bytes[i + 3])
        }
        for t in 16..<80 {
            w[t] = rotateLeft(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], by: 1)
        }
        var a = state[0]
        var b = state[1]
        var c = state[2]
        var d = state[3]
        var e = state[4]
        for t in 0..<80 {
            let f: UInt32
            let k: UInt32
            switch t {
            case 0..<20:
                f = (b & c) | (~b & d)
                k = 0x5A82_7999
            case 20..<40:
                f = b ^ c ^ d
                k = 0x6ED9_EBA1
            case 40..<60:
                f = (b & c) | (b & d) | (c & d)
                k = 0x8F1B_BCDC
            default:
                f = b ^ c ^ d
                k = 0xCA62_C1D6
            }
            let temp = rotateLeft(a, by: 5) &+ f &+ e &+ k &+ w[t]
            e = d
            d = c
            c = rotateLeft(b, by: 30)
            b = a
            a = temp
        }
        state[0] = state[0] &+ a
        state[1] = state[1] &+ b
        state[2] = state[2] &+ c
        state[3] = state[3] &+ d
        state[4] = state[4] &+ e
    }

    private static func rotateLeft(_ value: UInt32, by count: UInt32) -> UInt32 {
        (value << count) | (value >> (32 - count))
    }
}
