import CSodium

/// Errors from the libsodium wrapper. None of them carries key material.
public enum SodiumError: Error, Equatable, Sendable {
    case initializationFailed
    case invalidKeyLength(expected: Int, actual: Int)
    case invalidSeedLength(expected: Int, actual: Int)
    case invalidNonceLength(expected: Int, actual: Int)
    case signatureVerificationFailed
    case decryptionFailed
    case operationFailed(String)
}

/// The only gateway to libsodium: it sizes every buffer and turns return codes into thrown errors,
/// so no other file touches C pointers for crypto.
public enum Sodium {
    public static let signPublicKeyBytes = 32
    public static let signSecretKeyBytes = 64
    public static let signSeedBytes = 32
    public static let signatureBytes = 64
    public static let boxPublicKeyBytes = 32
    public static let boxSecretKeyBytes = 32
    public static let boxNonceBytes = 24
    public static let boxMACBytes = 16
    public static let secretBoxKeyBytes = 32
    public static let secretBoxNonceBytes = 24
    public static let secretBoxMACBytes = 16

    /// libsodium must be initialised once before use; `sodium_init` is idempotent and thread-safe.
    private static let initialized: Bool = sodium_init() >= 0

    @inline(__always)
    static func ensureInitialized() throws(SodiumError) {
        guard initialized else { throw .initializationFailed }
    }

    // MARK: Random

    public static func randomBytes(_ count: Int) throws(SodiumError) -> [UInt8] {
        try ensureInitialized()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { randombytes_buf(base, raw.count) }
        }
        return bytes
    }

    // MARK: Ed25519 signatures

    public struct SigningKeyPair: Sendable, Equatable {
        /// 32 bytes.
        public let publicKey: [UInt8]
        /// 64 bytes: seed ‖ public key, libsodium's layout.
        public let secretKey: [UInt8]
    }

    public static func signKeyPair() throws(SodiumError) -> SigningKeyPair {
        try ensureInitialized()
        var pk = [UInt8](repeating: 0, count: signPublicKeyBytes)
        var sk = [UInt8](repeating: 0, count: signSecretKeyBytes)
        let rc = crypto_sign_keypair(&pk, &sk)
        guard rc == 0 else { throw .operationFailed("crypto_sign_keypair") }
        return SigningKeyPair(publicKey: pk, secretKey: sk)
    }

    public static func signKeyPair(seed: [UInt8]) throws(SodiumError) -> SigningKeyPair {
        try ensureInitialized()
        guard seed.count == signSeedBytes else {
            throw .invalidSeedLength(expected: signSeedBytes, actual: seed.count)
        }
        var pk = [UInt8](repeating: 0, count: signPublicKeyBytes)
        var sk = [UInt8](repeating: 0, count: signSecretKeyBytes)
        let rc = crypto_sign_seed_keypair(&pk, &sk, seed)
        guard rc == 0 else { throw .operationFailed("crypto_sign_seed_keypair") }
        return SigningKeyPair(publicKey: pk, secretKey: sk)
    }

    /// Combined mode: the 64-byte signature followed by the message.
    public static func sign(_ message: [UInt8], secretKey: [UInt8]) throws(SodiumError) -> [UInt8] {
        try ensureInitialized()
        try checkLength(secretKey, signSecretKeyBytes)
        var signed = [UInt8](repeating: 0, count: message.count + signatureBytes)
        var signedLength: UInt64 = 0
        let rc = crypto_sign(&signed, &signedLength, message, UInt64(message.count), secretKey)
        guard rc == 0 else { throw .operationFailed("crypto_sign") }
        return Array(signed.prefix(Int(signedLength)))
    }

    /// Opens a combined-mode signed message and returns the message, or throws when it does not verify.
    public static func open(signed: [UInt8], publicKey: [UInt8]) throws(SodiumError) -> [UInt8] {
        try ensureInitialized()
        try checkLength(publicKey, signPublicKeyBytes)
        guard signed.count >= signatureBytes else { throw .signatureVerificationFailed }
        var message = [UInt8](repeating: 0, count: signed.count - signatureBytes)
        var messageLength: UInt64 = 0
        let rc = crypto_sign_open(&message, &messageLength, signed, UInt64(signed.count), publicKey)
        guard rc == 0 else { throw .signatureVerificationFailed }
        return Array(message.prefix(Int(messageLength)))
    }

    public static func signDetached(_ message: [UInt8], secretKey: [UInt8]) throws(SodiumError) -> [UInt8] {
        try ensureInitialized()
        try checkLength(secretKey, signSecretKeyBytes)
        var signature = [UInt8](repeating: 0, count: signatureBytes)
        var signatureLength: UInt64 = 0
        let rc = crypto_sign_detached(&signature, &signatureLength, message, UInt64(message.count), secretKey)
        guard rc == 0 else { throw .operationFailed("crypto_sign_detached") }
        return signature
    }

    public static func verifyDetached(
        signature: [UInt8], message: [UInt8], publicKey: [UInt8]
    ) throws(SodiumError) -> Bool {
        try ensureInitialized()
        try checkLength(publicKey, signPublicKeyBytes)
        guard signature.count == signatureBytes else { return false }
        return crypto_sign_verify_detached(signature, message, UInt64(message.count), publicKey) == 0
    }

    // MARK: crypto_box (Curve25519 + XSalsa20-Poly1305)

    public struct BoxKeyPair: Sendable, Equatable {
        public let publicKey: [UInt8]
        public let secretKey: [UInt8]
    }

    public static func boxKeyPair() throws(SodiumError) -> BoxKeyPair {
        try ensureInitialized()
        var pk = [UInt8](repeating: 0, count: boxPublicKeyBytes)
        var sk = [UInt8](repeating: 0, count: boxSecretKeyBytes)
        guard crypto_box_keypair(&pk, &sk) == 0 else { throw .operationFailed("crypto_box_keypair") }
        return BoxKeyPair(publicKey: pk, secretKey: sk)
    }

    /// The box key pair whose secret key is `secretKey` (the public key is derived from it).
    public static func boxKeyPair(secretKey: [UInt8]) throws(SodiumError) -> BoxKeyPair {
        try ensureInitialized()
        try checkLength(secretKey, boxSecretKeyBytes)
        var pk = [UInt8](repeating: 0, count: boxPublicKeyBytes)
        guard crypto_scalarmult_base(&pk, secretKey) == 0 else { throw .operationFailed("crypto_scalarmult_base") }
        return BoxKeyPair(publicKey: pk, secretKey: secretKey)
    }

    /// `crypto_box_easy`: returns MAC (16) ‖ ciphertext.
    public static func boxSeal(
        _ message: [UInt8], nonce: [UInt8], recipientPublicKey: [UInt8], senderSecretKey: [UInt8]
    ) throws(SodiumError) -> [UInt8] {
        try ensureInitialized()
        try checkNonce(nonce, boxNonceBytes)
        try checkLength(recipientPublicKey, boxPublicKeyBytes)
        try checkLength(senderSecretKey, boxSecretKeyBytes)
        var sealed = [UInt8](repeating: 0, count: message.count + boxMACBytes)
        let rc = crypto_box_easy(&sealed, message, UInt64(message.count), nonce, recipientPublicKey, senderSecretKey)
        guard rc == 0 else { throw .operationFailed("crypto_box_easy") }
        return sealed
    }

    /// `crypto_box_open_easy`: throws `decryptionFailed` when the MAC does not verify.
    public static func boxOpen(
        _ sealed: [UInt8], nonce: [UInt8], senderPublicKey: [UInt8], recipientSecretKey: [UInt8]
    ) throws(SodiumError) -> [UInt8] {
        try ensureInitialized()
        try checkNonce(nonce, boxNonceBytes)
        try checkLength(senderPublicKey, boxPublicKeyBytes)
        try checkLength(recipientSecretKey, boxSecretKeyBytes)
        guard sealed.count >= boxMACBytes else { throw .decryptionFailed }
        var message = [UInt8](repeating: 0, count: sealed.count - boxMACBytes)
        let rc = crypto_box_open_easy(
            &message, sealed, UInt64(sealed.count), nonce, senderPublicKey, recipientSecretKey)
        guard rc == 0 else { throw .decryptionFailed }
        return message
    }

    // MARK: crypto_secretbox (XSalsa20-Poly1305)

    /// `crypto_secretbox_easy`: returns MAC (16) ‖ ciphertext.
    public static func secretBoxSeal(_ message: [UInt8], nonce: [UInt8], key: [UInt8]) throws(SodiumError) -> [UInt8] {
        try ensureInitialized()
        try checkNonce(nonce, secretBoxNonceBytes)
        try checkLength(key, secretBoxKeyBytes)
        var sealed = [UInt8](repeating: 0, count: message.count + secretBoxMACBytes)
        let rc = crypto_secretbox_easy(&sealed, message, UInt64(message.count), nonce, key)
        guard rc == 0 else { throw .operationFailed("crypto_secretbox_easy") }
        return sealed
    }

    /// `crypto_secretbox_open_easy`: throws `decryptionFailed` when the MAC does not verify.
    public static func secretBoxOpen(_ sealed: [UInt8], nonce: [UInt8], key: [UInt8]) throws(SodiumError) -> [UInt8] {
        try ensureInitialized()
        try checkNonce(nonce, secretBoxNonceBytes)
        try checkLength(key, secretBoxKeyBytes)
        guard sealed.count >= secretBoxMACBytes else { throw .decryptionFailed }
        var message = [UInt8](repeating: 0, count: sealed.count - secretBoxMACBytes)
        let rc = crypto_secretbox_open_easy(&message, sealed, UInt64(sealed.count), nonce, key)
        guard rc == 0 else { throw .decryptionFailed }
        return message
    }

    // MARK: SHA-256

    public static let sha256Bytes = 32

    /// `crypto_hash_sha256`. Needs no `sodium_init` (SHA-256 has no CPU-specific variant), so it cannot fail.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: sha256Bytes)
        _ = crypto_hash_sha256(&digest, bytes, UInt64(bytes.count))
        return digest
    }

    // MARK: Password hashing (Argon2id)

    /// The smallest limits libsodium accepts; only tests should hash with them.
    public static let passwordHashOpsLimitMinimum = UInt64(crypto_pwhash_opslimit_min())
    public static let passwordHashMemLimitMinimum = crypto_pwhash_memlimit_min()
    /// The longest encoded hash libsodium writes (its buffer size less the terminating NUL).
    public static let passwordHashStringMaximumBytes = crypto_pwhash_strbytes() - 1

    /// `crypto_pwhash_str_alg` with Argon2id v1.3: a PHC string (`$argon2id$v=19$m=…,t=…,p=1$salt$hash`) that
    /// carries its own random salt and limits. Throws when the limits are out of range or memory runs out.
    public static func passwordHashString(
        password: [UInt8], opsLimit: UInt64, memLimit: Int
    ) throws(SodiumError) -> String {
        try ensureInitialized()
        guard memLimit >= 0 else { throw .operationFailed("crypto_pwhash_str_alg") }
        // C's `char` and our bytes differ only in signedness, which Swift converts for C calls (SE-0324).
        var encoded = [UInt8](repeating: 0, count: crypto_pwhash_strbytes())
        let rc = crypto_pwhash_str_alg(
            &encoded, password, UInt64(password.count), opsLimit, memLimit, crypto_pwhash_alg_argon2id13())
        guard rc == 0 else { throw .operationFailed("crypto_pwhash_str_alg") }
        let length = encoded.firstIndex(of: 0) ?? encoded.count
        return String(decoding: encoded.prefix(length), as: UTF8.self)
    }

    /// `crypto_pwhash_str_verify`: false for a wrong password and for any hash libsodium cannot parse, including
    /// one longer than libsodium ever writes or with an embedded NUL (which C would silently truncate).
    public static func passwordVerify(hash: String, password: [UInt8]) -> Bool {
        guard (try? ensureInitialized()) != nil, isPlausiblePasswordHash(hash) else { return false }
        return crypto_pwhash_str_verify(hash, password, UInt64(password.count)) == 0
    }

    /// True unless `hash` is an Argon2id string made with exactly these limits; an Argon2i or unparsable hash
    /// needs rehashing too (libsodium alone would accept Argon2i with matching limits).
    public static func passwordNeedsRehash(hash: String, opsLimit: UInt64, memLimit: Int) -> Bool {
        guard (try? ensureInitialized()) != nil, isPlausiblePasswordHash(hash), hash.hasPrefix("$argon2id$"),
            memLimit >= 0
        else { return true }
        return crypto_pwhash_str_needs_rehash(hash, opsLimit, memLimit) != 0
    }

    private static func isPlausiblePasswordHash(_ hash: String) -> Bool {
        hash.utf8.count <= passwordHashStringMaximumBytes && !hash.utf8.contains(0)
    }

    // MARK: Constant-time comparison

    /// `sodium_memcmp`: equality in time that depends only on the length, for comparing secrets. Different lengths
    /// are unequal at once (a length is not secret).
    public static func memoryEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard !lhs.isEmpty else { return true }
        return sodium_memcmp(lhs, rhs, lhs.count) == 0
    }

    // MARK: Checks

    private static func checkLength(_ key: [UInt8], _ expected: Int) throws(SodiumError) {
        guard key.count == expected else { throw .invalidKeyLength(expected: expected, actual: key.count) }
    }

    private static func checkNonce(_ nonce: [UInt8], _ expected: Int) throws(SodiumError) {
        guard nonce.count == expected else { throw .invalidNonceLength(expected: expected, actual: nonce.count) }
    }
}
