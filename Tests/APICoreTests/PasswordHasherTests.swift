import APICore
import Testing

/// Round trips with libsodium's minimum limits (the standard ones cost a tenth of a second or more per hash).
struct PasswordHasherTests {
    let hasher = PasswordHasher.fastForTests

    @Test func hashVerifiesItsPasswordOnly() throws {
        let hash = try hasher.hash("correct horse battery staple")
        #expect(hash.hasPrefix("$argon2id$v=19$"))
        #expect(hasher.verify("correct horse battery staple", against: hash))
        #expect(!hasher.verify("correct horse battery stapler", against: hash))
        #expect(!hasher.verify("", against: hash))
    }

    @Test func saltsDiffer() throws {
        #expect(try hasher.hash("same") != hasher.hash("same"))
    }

    @Test func emptyAndNonASCIIPasswordsWork() throws {
        #expect(hasher.verify("", against: try hasher.hash("")))
        #expect(hasher.verify("пароль 密码 🔑", against: try hasher.hash("пароль 密码 🔑")))
    }

    @Test func verifyUsesTheLimitsInTheHash() throws {
        let hash = try PasswordHasher(opsLimit: 2, memLimit: 16 << 10).hash("pw")
        #expect(hash.contains("m=16,t=2,p=1"))
        #expect(hasher.verify("pw", against: hash))
    }

    @Test(arguments: [
        "",
        "garbage",
        "$argon2id$",
        "$argon2id$v=19$m=8,t=1,p=1$",
        "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$",
        "$2b$12$abcdefghijklmnopqrstuuJ5/3W6C9yb0IqQ5/DN3qHTQzHaSJRCm",
        String(repeating: "$argon2id$", count: 1000),
    ])
    func malformedHashesFailVerifyAndNeedRehash(hash: String) {
        #expect(!hasher.verify("pw", against: hash))
        #expect(hasher.needsRehash(hash))
    }

    @Test func truncatedOrNulPoisonedHashesFail() throws {
        let hash = try hasher.hash("pw")
        for length in [10, hash.count / 2, hash.count - 1] {
            #expect(!hasher.verify("pw", against: String(hash.prefix(length))))
        }
        #expect(!hasher.verify("pw", against: hash + "\0garbage"))
    }

    @Test func overlongPasswordsAreRefused() throws {
        let limit = PasswordHasher.maximumPasswordBytes
        let longest = String(repeating: "x", count: limit)
        let hash = try hasher.hash(longest)
        #expect(hasher.verify(longest, against: hash))
        #expect(throws: PasswordHashError.passwordTooLong(maximumBytes: limit)) {
            try hasher.hash(longest + "x")
        }
        #expect(!hasher.verify(longest + "x", against: hash))
    }

    @Test func needsRehashWhenLimitsChange() throws {
        let hash = try hasher.hash("pw")
        #expect(!hasher.needsRehash(hash))
        #expect(PasswordHasher.standard.needsRehash(hash))
    }

    @Test func limitsBelowLibsodiumsMinimumThrow() {
        #expect(throws: PasswordHashError.self) {
            try PasswordHasher(opsLimit: 0, memLimit: 1024).hash("pw")
        }
    }
}
