/// HMAC (RFC 2104) over SHA-1, the MAC inside TOTP codes.
public enum HMAC {
    public static func sha1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        // Keys longer than a block are hashed first; shorter ones are zero-padded to a block.
        var blockKey = key.count > SHA1.blockBytes ? SHA1.hash(key) : key
        blockKey += [UInt8](repeating: 0, count: SHA1.blockBytes - blockKey.count)
        let inner = SHA1.hash(blockKey.map { $0 ^ 0x36 } + message)
        return SHA1.hash(blockKey.map { $0 ^ 0x5C } + inner)
    }
}
