import RustDeskCore

/// Hashes and checks account passwords with Argon2id, storing libsodium's self-describing PHC string
/// (`$argon2id$v=19$m=65536,t=3,p=1$salt$hash`), so limits can change without invalidating old hashes.
///
/// Hashing is deliberately slow and blocks its thread: callers on an event loop must hand it to a thread pool.
public struct PasswordHasher: Sendable, Equatable {
    /// Longer passwords are refused by `hash` and fail `verify`, so one request's cost stays bounded.
    public static let maximumPasswordBytes = 1024

    /// Argon2id passes over memory (libsodium's `opslimit`).
    public let opsLimit: UInt64
    /// Bytes of memory per hash (libsodium's `memlimit`).
    public let memLimit: Int

    public init(opsLimit: UInt64, memLimit: Int) {
        self.opsLimit = opsLimit
        self.memLimit = memLimit
    }

    /// 3 passes over 64 MiB: INTERACTIVE's memory (2 / 64 MiB) with MODERATE's passes (3 / 256 MiB). MODERATE costs
    /// about a second and 256 MiB per login, so a few concurrent logins could take a small server down; this costs
    /// 0.1–0.3 s on one core (0.1 s measured on a current x86 core), still far too dear for cheap offline guessing.
    public static let standard = PasswordHasher(opsLimit: 3, memLimit: 64 << 20)

    /// libsodium's minimum limits (1 pass, 8 KiB): only for tests, which would otherwise spend seconds hashing.
    public static let fastForTests = PasswordHasher(
        opsLimit: Sodium.passwordHashOpsLimitMinimum, memLimit: Sodium.passwordHashMemLimitMinimum)

    /// A PHC string with a fresh random salt.
    public func hash(_ password: String) throws(PasswordHashError) -> String {
        let bytes = Array(password.utf8)
        guard bytes.count <= Self.maximumPasswordBytes else {
            throw .passwordTooLong(maximumBytes: Self.maximumPasswordBytes)
        }
        do {
            return try Sodium.passwordHashString(password: bytes, opsLimit: opsLimit, memLimit: memLimit)
        } catch {
            throw .hashingFailed(error)
        }
    }

    /// Whether `password` matches `hash`; false for an over-long password and for any malformed hash. The limits
    /// come from `hash`, not from `self`, so hashes made with older limits still verify.
    public func verify(_ password: String, against hash: String) -> Bool {
        let bytes = Array(password.utf8.prefix(Self.maximumPasswordBytes + 1))
        guard bytes.count <= Self.maximumPasswordBytes else { return false }
        return Sodium.passwordVerify(hash: hash, password: bytes)
    }

    /// True when `hash` was not made by Argon2id with this hasher's limits: after a successful login the caller
    /// stores a fresh hash, so raised limits reach every account that logs in.
    public func needsRehash(_ hash: String) -> Bool {
        Sodium.passwordNeedsRehash(hash: hash, opsLimit: opsLimit, memLimit: memLimit)
    }
}

/// Why `PasswordHasher.hash` produced no hash. Carries no password material.
public enum PasswordHashError: Error, Equatable, Sendable {
    case passwordTooLong(maximumBytes: Int)
    /// libsodium refused the limits or could not allocate the memory.
    case hashingFailed(SodiumError)
}
