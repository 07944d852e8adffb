import RustDeskCore

extension Dictionary where Key == String {
    /// The entry stored under exactly these bytes. Swift `String` keys match by canonical equivalence
    /// (U+212A KELVIN SIGN finds "K"); console lookups must match only what the reference's byte-wise
    /// map would, so a canonically-equal but different key is treated as absent.
    func exactValue(forKey key: String) -> Value? {
        guard let index = index(forKey: key), self[index].key.utf8.elementsEqual(key.utf8) else { return nil }
        return self[index].value
    }
}
