import APICore
import Testing

/// Required TOTP at login and self-enrolment, without HTTP or SQL: the refusal comes only after the
/// right password and costs no throttle attempt; an enrolment needs the password, a live handle and a
/// code of its secret, and never replaces an enrolled secret.
@Suite struct TOTPEnrolmentTests {
    typealias Fixture = AccountServiceTests.Fixture

    @Test func aRequiredUserWithoutTOTPIsRefusedAfterTheRightPasswordOnly() async throws {
        let fixture = Fixture()
        let fay = try await fixture.addUser("fay", "pw")
        try fixture.store.requireTOTP(userID: fay.id, setupURL: "https://console.example.com")
        let right = await fixture.service.login(LoginRequest(username: "fay", password: "pw"), ip: "192.0.2.1")
        #expect(right == .refused(.totpSetupRequired(url: "https://console.example.com")))
        let wrong = await fixture.service.login(LoginRequest(username: "fay", password: "no"), ip: "192.0.2.1")
        #expect(wrong == .refused(.wrongCredentials))
        // Many right-password refusals never lock the account.
        for _ in 0..<20 {
            _ = await fixture.service.login(LoginRequest(username: "fay", password: "pw"), ip: "192.0.2.1")
        }
        #expect(fixture.service.throttle.retryAfter(ip: "192.0.2.1", account: "fay", now: fixture.clock.now) == nil)
    }

    @Test func enrolmentNeedsThePasswordAndACodeThenLoginAsksForIt() async throws {
        let fixture = Fixture()
        let fay = try await fixture.addUser("fay", "pw")
        try fixture.store.requireTOTP(userID: fay.id, setupURL: "")
        await #expect(throws: AccountService.EnrolmentRefusal.login(.wrongCredentials)) {
            try await fixture.service.beginTOTPEnrolment(username: "fay", password: "no", ip: "192.0.2.1")
        }
        let enrolment = try await fixture.service.beginTOTPEnrolment(username: "fay", password: "pw", ip: "192.0.2.1")
        let secret = try #require(Base32.decode(enrolment.secret))
        await #expect(throws: AccountService.EnrolmentRefusal.login(.wrongCode)) {
            try await fixture.service.confirmTOTPEnrolment(handle: enrolment.handle, code: "12345x", ip: "192.0.2.1")
        }
        let code = TOTP(secret: secret).code(at: fixture.clock.now)
        try await fixture.service.confirmTOTPEnrolment(handle: enrolment.handle, code: code, ip: "192.0.2.1")
        #expect(try await fixture.store.user(id: fay.id)?.totpSecret == secret)
        // The handle is spent, and an enrolled secret is not replaced with the password alone.
        await #expect(throws: AccountService.EnrolmentRefusal.login(.secondStepExpired)) {
            try await fixture.service.confirmTOTPEnrolment(handle: enrolment.handle, code: code, ip: "192.0.2.1")
        }
        await #expect(throws: AccountService.EnrolmentRefusal.alreadyEnrolled) {
            try await fixture.service.beginTOTPEnrolment(username: "fay", password: "pw", ip: "192.0.2.1")
        }
        guard
            case .needsSecondFactor = await fixture.service.login(
                LoginRequest(username: "fay", password: "pw"), ip: "x")
        else {
            Issue.record("login did not ask for the code")
            return
        }
    }

    @Test func pendingEnrolmentsExpireRunOutOfTriesAndOneUserHasOne() {
        let pending = PendingTOTPEnrolments(lifetimeSeconds: 60, attempts: 2, capacity: 2)
        pending.add(handle: "a", userID: 1, secret: [1], now: 0)
        #expect(pending.take("a", now: 60) == nil)
        pending.add(handle: "b", userID: 1, secret: [1], now: 0)
        #expect(pending.take("b", now: 1)?.secret == [1])
        #expect(pending.take("b", now: 1) != nil)
        #expect(pending.take("b", now: 1) == nil)
        pending.add(handle: "c", userID: 2, secret: [2], now: 0)
        pending.add(handle: "d", userID: 2, secret: [3], now: 1)
        #expect(pending.take("c", now: 2) == nil)
        #expect(pending.take("d", now: 2)?.secret == [3])
        pending.add(handle: "e", userID: 3, secret: [4], now: 2)
        pending.add(handle: "f", userID: 4, secret: [5], now: 3)
        // Full: the oldest made room.
        #expect(pending.take("d", now: 4) == nil)
        #expect(pending.take("f", now: 4) != nil)
    }
}
