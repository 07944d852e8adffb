import APICore
import ClientAPI
import NIOPosix
import RustDeskCore
import Testing

/// The SMTP dialogue against a scripted server on 127.0.0.1: AUTH PLAIN and LOGIN, the HELO fallback,
/// dot-stuffed DATA, a refused recipient and a server that never answers.
@Suite struct SMTPMailerTests {
    static let message = MailMessage(
        from: "hbbs@example.com", to: "erin@example.com", subject: "Invitation",
        text: "Hello\n.a line that starts with a dot\n..and two\nbye")

    static func mailer(
        _ server: FakeSMTPServer, user: String? = "mailer", password: String? = "pw", timeout: Duration = .seconds(10)
    ) -> SMTPMailer {
        SMTPMailer(
            configuration: MailConfiguration(
                host: "127.0.0.1", port: server.port, user: user, password: password, from: "hbbs@example.com"),
            group: MultiThreadedEventLoopGroup.singleton, timeout: timeout)
    }

    @Test func authPlainThenTheMessageDotStuffed() async throws {
        let server = try await FakeSMTPServer()
        try await Self.mailer(server).send(Self.message)
        // "\0mailer\0pw" in base64.
        #expect(
            server.commands == [
                "EHLO localhost", "AUTH PLAIN AG1haWxlcgBwdw==", "MAIL FROM:<hbbs@example.com>",
                "RCPT TO:<erin@example.com>", "DATA", "QUIT",
            ])
        let data = try #require(server.messages.first)
        #expect(data.contains("\r\nSubject: Invitation\r\n"))
        #expect(data.hasSuffix("\r\n\r\nHello\r\n..a line that starts with a dot\r\n...and two\r\nbye"))
        await server.stop()
    }

    @Test func authLoginWhenThatIsAllTheServerOffers() async throws {
        let server = try await FakeSMTPServer(.loginOnly)
        try await Self.mailer(server).send(Self.message)
        #expect(Array(server.commands.prefix(4)) == ["EHLO localhost", "AUTH LOGIN", "bWFpbGVy", "cHc="])
        #expect(server.messages.count == 1)
        await server.stop()
    }

    @Test func heloWhenEHLOIsRefusedAndNoAuthWithoutAUser() async throws {
        let server = try await FakeSMTPServer(.heloOnly)
        try await Self.mailer(server, user: nil, password: nil).send(Self.message)
        #expect(
            Array(server.commands.prefix(3)) == ["EHLO localhost", "HELO localhost", "MAIL FROM:<hbbs@example.com>"])
        await server.stop()
    }

    @Test func aUserWithoutAnAuthMechanismIsAFailure() async throws {
        let server = try await FakeSMTPServer(.heloOnly)
        await #expect(throws: MailFailure.noAuthMechanism) { try await Self.mailer(server).send(Self.message) }
        #expect(server.messages.isEmpty)
        await server.stop()
    }

    @Test func aRefusedRecipientIsReportedWithTheServersWords() async throws {
        let server = try await FakeSMTPServer(.rejectRecipient)
        await #expect(throws: MailFailure.rejected(step: "RCPT TO", code: 550, text: "5.1.1 no such mailbox")) {
            try await Self.mailer(server).send(Self.message)
        }
        #expect(server.messages.isEmpty)
        await server.stop()
    }

    @Test func aSilentServerTimesOut() async throws {
        let server = try await FakeSMTPServer(.silent)
        let started = ContinuousClock.now
        await #expect(throws: MailFailure.timeout) {
            try await Self.mailer(server, timeout: .milliseconds(300)).send(Self.message)
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        await server.stop()
    }

    @Test func nobodyListeningIsAConnectFailure() async throws {
        let server = try await FakeSMTPServer()
        let mailer = Self.mailer(server)
        await server.stop()
        await #expect {
            try await mailer.send(Self.message)
        } throws: { error in
            if case .connect = error as? MailFailure { true } else { false }
        }
    }

    @Test func headerInjectionIsRefusedBeforeConnecting() async throws {
        let server = try await FakeSMTPServer()
        var message = Self.message
        message.subject = "Hi\r\nBcc: everyone@example.com"
        await #expect(throws: MailFailure.headerInjection) { try await Self.mailer(server).send(message) }
        #expect(server.commands.isEmpty)
        await server.stop()
    }
}
