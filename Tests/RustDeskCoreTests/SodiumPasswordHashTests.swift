import RustDeskCore
import TestSupport
import Testing

/// SHA-256, Argon2id password strings and constant-time comparison, which APICore builds on.
struct SodiumPasswordHashTests {
    @Test func sha256Vectors() {
        #expect(Sodium.sha256([]) == hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        #expect(
            Sodium.sha256(Array("abc".utf8)) == hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
    }

    @Test func memoryEqualsComparesLengthAndContent() {
        #expect(Sodium.memoryEquals([], []))
        #expect(Sodium.memoryEquals([1, 2, 3], [1, 2, 3]))
        #expect(!Sodium.memoryEquals([1, 2, 3], [1, 2, 4]))
        #expect(!Sodium.memoryEquals([1, 2, 3], [1, 2]))
        #expect(!Sodium.memoryEquals([], [0]))
    }

    @Test func passwordHashStringIsArgon2id() throws {
        let hash = try Sodium.passwordHashString(
            password: [], opsLimit: Sodium.passwordHashOpsLimitMinimum, memLimit: Sodium.passwordHashMemLimitMinimum)
        #expect(hash.hasPrefix("$argon2id$v=19$m=8,t=1,p=1$"))
        #expect(hash.utf8.count <= Sodium.passwordHashStringMaximumBytes)
        #expect(Sodium.passwordVerify(hash: hash, password: []))
        #expect(!Sodium.passwordVerify(hash: hash, password: [0]))
        #expect(
            !Sodium.passwordNeedsRehash(
                hash: hash, opsLimit: Sodium.passwordHashOpsLimitMinimum,
                memLimit: Sodium.passwordHashMemLimitMinimum))
        #expect(Sodium.passwordNeedsRehash(hash: hash, opsLimit: 2, memLimit: Sodium.passwordHashMemLimitMinimum))
    }

    @Test func argon2iHashesNeedRehashEvenWithTheSameLimits() {
        let argon2i = "$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
        #expect(Sodium.passwordNeedsRehash(hash: argon2i, opsLimit: 1, memLimit: 8 << 10))
    }
}
