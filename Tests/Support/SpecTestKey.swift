import RustDeskCore

/// The spec's test key pair (utils.md §3: seed 00..1f), the one every test server signs with.
public enum SpecTestKey {
    public static let server: ServerKey = {
        guard let pair = try? Sodium.signKeyPair(seed: Array(0..<32)),
            let key = try? ServerKey(secretKey: pair.secretKey)
        else { fatalError("test key") }
        return key
    }()
}
