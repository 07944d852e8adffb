import APICore
import PeerStore
import RustDeskCore
import RustDeskUtilsKit
import TestSupport
import Testing

/// `rustdesk-utils user add|passwd|list|totp` against a real database file.
@Suite struct UtilsUserTests {
    @Test func addThenList() async throws {
        let database = try await UserTestDatabase()
        let added = await database.run(["add", "alice", "--password", "s3cret", "--email", "alice@example.com"])
        #expect(added.status == 0)
        #expect(added.lines == ["Created user alice"])
        let admin = await database.run(["add", "Bob", "--password=pw", "--admin", "--group", "ops"])
        #expect(admin.lines == ["Created user Bob (administrator)"])

        let list = await database.run(["list"])
        #expect(list.status == 0)
        #expect(
            list.lines == [
                "NAME   EMAIL              ADMIN  STATUS  GROUP    2FA",
                "alice  alice@example.com  no     normal  Default  no",
                "Bob                       yes    normal  ops      no",
            ])
        let stored = try await database.withStore { try await $0.user(named: "alice") }
        let alice = try #require(stored)
        #expect(PasswordHasher.fastForTests.verify("s3cret", against: alice.passwordHash))
        #expect(!alice.isAdmin)
    }

    @Test func standardHasherIsTheDefault() {
        #expect(RustDeskUtils().hasher == .standard)
    }

    @Test(arguments: [["add", "ALICE", "--password", "x"], ["add", "carol", "--password", "x", "--email", "A@x.org"]])
    func duplicateNameOrEmailIsRefused(second: [String]) async throws {
        let database = try await UserTestDatabase()
        #expect(await database.run(["add", "alice", "--password", "x", "--email", "a@x.org"]).status == 0)
        let again = await database.run(second)
        #expect(again.status == 1)
        #expect(again.lines == ["ERROR: A user named '\(second[1])' (or with that email) already exists"])
    }

    @Test(arguments: [["passwd", "nobody", "--password", "x"], ["totp", "nobody"], ["totp", "nobody", "--disable"]])
    func unknownUserIsAnError(words: [String]) async throws {
        let database = try await UserTestDatabase()
        let result = await database.run(words)
        #expect(result.status == 1)
        #expect(result.lines == ["ERROR: No user named 'nobody'"])
    }

    @Test func passwdChangesThePasswordAndEndsSessions() async throws {
        let database = try await UserTestDatabase()
        #expect(await database.run(["add", "alice", "--password", "old"]).status == 0)
        let token = try SessionToken.generate()
        try await database.withStore { store in
            let user = try #require(try await store.user(named: "alice"))
            try await store.insertSession(
                Session(tokenDigest: token.digest, userID: user.id, createdAt: 1, lastUsedAt: 1, expiresAt: .max))
        }
        let result = await database.run(["passwd", "alice"], input: nil)
        #expect(result.status == 1)
        let changed = await database.run(["passwd", "alice", "--password", "-"], input: "new one")
        #expect(changed.status == 0)
        #expect(changed.lines == ["Password of alice changed; 1 session revoked"])
        try await database.withStore { store in
            let user = try #require(try await store.user(named: "alice"))
            #expect(PasswordHasher.fastForTests.verify("new one", against: user.passwordHash))
            #expect(!PasswordHasher.fastForTests.verify("old", against: user.passwordHash))
            #expect(try await store.session(tokenDigest: token.digest) == nil)
        }
    }

    @Test func totpEnrolsAndDisables() async throws {
        let database = try await UserTestDatabase()
        #expect(await database.run(["add", "alice", "--password", "x"]).status == 0)
        let enrolled = await database.run(["totp", "alice"])
        #expect(enrolled.status == 0)
        #expect(enrolled.lines.count == 3)
        let uri = try #require(enrolled.lines.dropFirst().first)
        #expect(uri.hasPrefix("otpauth://totp/RustDesk:alice?secret="))
        #expect(uri.contains("&issuer=RustDesk&"))
        let stored = try await database.withStore { try await $0.user(named: "alice")?.totpSecret }
        let secret = try #require(stored)
        #expect(uri.contains("secret=\(Base32.encode(secret))&"))
        #expect(await database.run(["list"]).lines.last?.hasSuffix("yes") == true)

        let disabled = await database.run(["totp", "alice", "--disable"])
        #expect(disabled.status == 0)
        #expect(try await database.withStore { try await $0.user(named: "alice")?.totpSecret } == nil)
    }

    @Test func missingDatabaseIsNotCreated() async throws {
        let directory = try TemporaryDirectory()
        let recorder = UtilsLineRecorder()
        let path = directory.file("elsewhere.sqlite3")
        let status = await RustDeskUtils(output: recorder.output, hasher: .fastForTests)
            .run(["user", "list", "--db", path])
        #expect(status == 1)
        #expect(recorder.lines == ["ERROR: No database at \(path) (run hbbs once there, or pass --db PATH)"])
        #expect(!directory.exists("elsewhere.sqlite3"))
    }

    @Test(arguments: [
        (["add"], "ERROR: You must supply the user name"),
        (
            ["add", "alice"],
            "ERROR: You must supply the password with --password (or --password - to read it from stdin)"
        ),
        (["add", "alice", "--pasword", "x"], "ERROR: Unknown option --pasword"),
        (["add", "alice", "--password"], "ERROR: --password needs a value"),
    ])
    func usageMistakesPrintTheUserHelp(words: [String], message: String) async throws {
        let database = try await UserTestDatabase()
        let result = await database.run(words)
        #expect(result.status == 1)
        #expect(result.lines.first == message)
        #expect(result.lines.dropFirst(2).first == "Usage:")
    }

    @Test(arguments: [[], ["nonsense"]])
    func userAloneOrUnknownSubcommandPrintsItsHelp(words: [String]) async {
        let recorder = UtilsLineRecorder()
        let status = await RustDeskUtils(output: recorder.output).run(["user"] + words)
        #expect(status == 1)
        #expect(recorder.lines.first == "Usage:")
        #expect(recorder.lines.contains { $0.contains("rustdesk-utils user totp NAME [--disable]") })
    }

    @Test func invalidNamesAndEmailsAreRefused() async throws {
        let database = try await UserTestDatabase()
        #expect(
            await database.run(["add", " ", "--password", "x"]).lines == [
                "ERROR: A user name must be 1 to 128 characters, without control characters"
            ])
        #expect(
            await database.run(["add", "a", "--password", "x", "--email", "nope"]).lines == [
                "ERROR: An email address must contain @ and be at most 254 characters"
            ])
        #expect(await database.run(["list"]).lines.count == 1)
    }
}
