import RustDeskCore

/// Random passwords for the first administrator when ADMIN_PASSWORD is not given.
public enum GeneratedPassword {
    /// No look-alikes (0/O, 1/l/I), so it can be typed from a log line.
    static let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    /// 20 characters (~115 bits). Rejection sampling keeps every character equally likely.
    public static func make(length: Int = 20) -> String {
        var result = ""
        while result.count < length {
            guard let bytes = try? Sodium.randomBytes(64) else { continue }
            for byte in bytes where Int(byte) < 256 - 256 % alphabet.count && result.count < length {
                result.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return result
    }
}
