import APICore
import Logging
import Synchronization
import Testing

/// `AccountService`'s rules without HTTP or SQL: logins, the TOTP second step, tokens and their
/// sliding expiry, and the first administrator.
@Suite struct AccountServiceTests {
    final class Clock: Sendable {
        /// Guards the time.
        private let time = Mutex<Int64>(1_780_000_000)
        var now: Int64 { time.withLock { $0 } }
        func advance(_ seconds: Int64) { time.withLock { $0 += seconds } }
    }

    struct Fixture {
        let store = InMemoryAccountStore()
        let clock = Clock()
        let service: AccountService

        init(sessionDays: Int = 30) {
            let clock = clock
            service = AccountService(
                store: store, hasher: .fastForTests, clock: APIClock { clock.now }, sessionDays: sessionDays,
                logger: Logger(label: "test"))
        }

        func addUser(_ name: String, _ password: String) async throws -> User {
            try await store.insertUser(
                NewUser(name: name, passwordHash: try PasswordHasher.fastForTests.hash(password)), now: clock.now)
        }
    }

    @Test func passwordLoginOpensASessionTheTokenAuthenticates() async throws {
        let fixture = Fixture()
        let alice = try await fixture.addUser("alice", "pw")
        guard
            case .loggedIn(let token, let user) = await fixture.service.login(
                LoginRequest(username: "ALICE", password: "pw", id: "123", uuid: "dQ=="), ip: "192.0.2.1")
        else {
            Issue.record("no session")
            return
        }
        #expect(user == alice)
        let authenticated = try await fixture.service.authenticate(token: token)
        #expect(authenticated?.user.id == alice.id)
        #expect(authenticated?.session.deviceID == "123")
        #expect(authenticated?.session.ip == "192.0.2.1")
    }

    @Test func disabledUsersCannotLogInOrUseTheirTokens() async throws {
        let fixture = Fixture()
        let alice = try await fixture.addUser("alice", "pw")
        guard
            case .loggedIn(let token, _) = await fixture.service.login(
                LoginRequest(username: "alice", password: "pw"), ip: "192.0.2.1")
        else {
            Issue.record("no session")
            return
        }
        try fixture.store.setStatus(userID: alice.id, .disabled)
        #expect(try await fixture.service.authenticate(token: token) == nil)
        #expect(
            await fixture.service.login(LoginRequest(username: "alice", password: "pw"), ip: "192.0.2.1")
                == .refused(.disabled))
    }

    @Test func totpSecondStepAcceptsACodeOnceAndExpires() async throws {
        let fixture = Fixture()
        let alice = try await fixture.addUser("alice", "pw")
        let secret = try TOTP.generateSecret()
        try await fixture.store.setTOTPSecret(userID: alice.id, secret: secret, now: fixture.clock.now)

        let first = await fixture.service.login(LoginRequest(username: "alice", password: "pw"), ip: "192.0.2.1")
        guard case .needsSecondFactor(let pending) = first else {
            Issue.record("expected a second step, got \(first)")
            return
        }
        let code = TOTP(secret: secret).code(at: fixture.clock.now)
        let wrong = code == "000000" ? "111111" : "000000"
        #expect(
            await fixture.service.login(
                LoginRequest(username: "alice", type: "email_code", tfaCode: wrong, secret: pending), ip: "192.0.2.1")
                == .refused(.wrongCode))
        let second = await fixture.service.login(
            LoginRequest(username: "alice", type: "email_code", verificationCode: code, tfaCode: code, secret: pending),
            ip: "192.0.2.1")
        guard case .loggedIn = second else {
            Issue.record("expected a session, got \(second)")
            return
        }
        // The pending login is spent, and the same code cannot open another one.
        #expect(
            await fixture.service.login(
                LoginRequest(username: "alice", type: "email_code", tfaCode: code, secret: pending), ip: "192.0.2.1")
                == .refused(.secondStepExpired))
        guard
            case .needsSecondFactor(let again) = await fixture.service.login(
                LoginRequest(username: "alice", password: "pw"), ip: "192.0.2.1")
        else {
            Issue.record("expected a second step")
            return
        }
        #expect(
            await fixture.service.login(
                LoginRequest(username: "alice", type: "email_code", tfaCode: code, secret: again), ip: "192.0.2.1")
                == .refused(.wrongCode))
        // A pending login lasts five minutes.
        fixture.clock.advance(301)
        #expect(
            await fixture.service.login(
                LoginRequest(
                    username: "alice", type: "email_code", tfaCode: TOTP(secret: secret).code(at: fixture.clock.now),
                    secret: again), ip: "192.0.2.1") == .refused(.secondStepExpired))
    }

    @Test func tokensSlideForwardOnUseAndExpireWhenIdle() async throws {
        let fixture = Fixture(sessionDays: 2)
        _ = try await fixture.addUser("alice", "pw")
        guard
            case .loggedIn(let token, _) = await fixture.service.login(
                LoginRequest(username: "alice", password: "pw"), ip: "192.0.2.1")
        else {
            Issue.record("no session")
            return
        }
        for _ in 0..<5 {
            fixture.clock.advance(86_400)
            #expect(try await fixture.service.authenticate(token: token) != nil)
        }
        fixture.clock.advance(2 * 86_400)
        #expect(try await fixture.service.authenticate(token: token) == nil)
        #expect(fixture.store.sessionCount == 0)
    }

    @Test func firstAdministratorIsCreatedOnceWithAGeneratedPasswordWhenNoneIsGiven() async throws {
        let fixture = Fixture()
        guard case .created(let name, let password?) = try await fixture.service.ensureAdministrator(password: nil)
        else {
            Issue.record("no administrator created")
            return
        }
        #expect(name == "admin")
        #expect(password.count == 20)
        #expect(try await fixture.service.ensureAdministrator(password: "other") == .existing)
        guard
            case .loggedIn(_, let user) = await fixture.service.login(
                LoginRequest(username: "admin", password: password), ip: "192.0.2.1")
        else {
            Issue.record("the generated password does not log in")
            return
        }
        #expect(user.isAdmin)
    }

    @Test func logoutRevokes() async throws {
        let fixture = Fixture()
        _ = try await fixture.addUser("alice", "pw")
        guard
            case .loggedIn(let token, _) = await fixture.service.login(
                LoginRequest(username: "alice", password: "pw"), ip: "192.0.2.1"),
            let authenticated = try await fixture.service.authenticate(token: token)
        else {
            Issue.record("no session")
            return
        }
        try await fixture.service.logout(authenticated)
        #expect(try await fixture.service.authenticate(token: token) == nil)
    }
}
