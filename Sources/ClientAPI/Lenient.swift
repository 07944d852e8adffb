/// Decoding helpers that accept what different client versions send: a missing key, `null`, or a
/// value of another JSON type becomes the default instead of failing the whole request, because
/// clients keep adding and changing fields (http-api.md §0.4).
extension KeyedDecodingContainer {
    func lenientString(_ key: Key) -> String {
        if let text = try? decodeIfPresent(String.self, forKey: key) { return text }
        if let number = try? decodeIfPresent(Int64.self, forKey: key) { return String(number) }
        return ""
    }

    func lenientBool(_ key: Key) -> Bool {
        if let flag = try? decodeIfPresent(Bool.self, forKey: key) { return flag }
        if let text = try? decodeIfPresent(String.self, forKey: key) { return text == "true" || text == "1" }
        return false
    }

    func lenientInt64(_ key: Key) -> Int64? {
        if let number = try? decodeIfPresent(Int64.self, forKey: key) { return number }
        if let text = try? decodeIfPresent(String.self, forKey: key) { return Int64(text) }
        return nil
    }

    /// A u64 that may exceed Int64 (session ids: half of them do, correction 12).
    func lenientUInt64(_ key: Key) -> UInt64? {
        if let number = try? decodeIfPresent(UInt64.self, forKey: key) { return number }
        if let number = try? decodeIfPresent(Int64.self, forKey: key) { return UInt64(bitPattern: number) }
        if let text = try? decodeIfPresent(String.self, forKey: key) { return UInt64(text) }
        return nil
    }
}
