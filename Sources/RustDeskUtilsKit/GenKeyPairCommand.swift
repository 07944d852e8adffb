import RustDeskCore

/// `genkeypair` (utils.md §1.1): a fresh Ed25519 pair, printed as base64. Unlike the servers' key files it
/// does not avoid `/` in the public key, like the reference.
enum GenKeyPairCommand {
    static func run(output: UtilsOutput) -> Int32 {
        do {
            let pair = try Sodium.signKeyPair()
            output.line("Public Key:  \(Base64.encode(pair.publicKey))")
            output.line("Secret Key:  \(Base64.encode(pair.secretKey))")
            return 0
        } catch {
            output.line("ERROR: \(error)")
            return 1
        }
    }
}
