/// Unpadded base64url (RFC 4648 §5), the alphabet that survives URLs, headers and cookies untouched.
///
/// Only encoding is needed: tokens come back as opaque text and are looked up by digest, never decoded.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let group =
                UInt32(bytes[index]) << 16
                | UInt32(remaining > 1 ? bytes[index + 1] : 0) << 8
                | UInt32(remaining > 2 ? bytes[index + 2] : 0)
            // Three bytes make four symbols; a final one or two bytes make two or three.
            for symbol in 0..<min(remaining + 1, 4) {
                output.append(alphabet[Int(group >> UInt32(18 - 6 * symbol) & 0x3F)])
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
