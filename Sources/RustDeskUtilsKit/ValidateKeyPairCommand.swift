import RustDeskCore

/// `validatekeypair <public> <secret>` (utils.md §1.2): the reference's checks in its order, each failure one
/// line and exit 1; finally a combined-mode signature of a fixed message must open with the public key.
enum ValidateKeyPairCommand {
    static let testMessage = Array("This is meh.".utf8)

    static func run(publicKey: String, secretKey: String, output: UtilsOutput) -> Int32 {
        let outcome = validate(publicKey: publicKey, secretKey: secretKey)
        output.line(outcome)
        return outcome == valid ? 0 : 1
    }

    static let valid = "Key pair is VALID"

    /// The one line to print; only `valid` means success.
    static func validate(publicKey: String, secretKey: String) -> String {
        guard let secretBytes = Base64.decode(secretKey) else { return "Invalid secret key" }
        guard secretBytes.count == Sodium.signSecretKeyBytes else { return "Invalid Secret key" }
        guard let publicBytes = Base64.decode(publicKey) else { return "Invalid public key" }
        guard publicBytes.count == Sodium.signPublicKeyBytes else { return "Invalid Public key" }
        do {
            let signed = try Sodium.sign(testMessage, secretKey: secretBytes)
            let opened = try Sodium.open(signed: signed, publicKey: publicBytes)
            return opened == testMessage ? valid : "Key pair is INVALID"
        } catch {
            return "Key pair is INVALID"
        }
    }
}
