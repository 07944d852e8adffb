import Logging
import RustDeskCore

/// users.py `invite` (admin-api.md §2) and the invitee's side of it. An invitation creates the user
/// without a password (`.unverified`, so no login and no group-tab entry yet) together with a one-time
/// token, stored as its digest, that lives `lifetimeSeconds`. With a mailer the link goes out by mail;
/// a mail that fails deletes the user again, so an invitation is either delivered or never happened.
/// Without one the link is returned to the administrator (and logged once), who hands it over.
public struct UserInvitations: Sendable {
    public static let lifetimeSeconds: Int64 = 7 * 86_400
    /// Where the link points, below the API's base address.
    public static let acceptPath = "/api/users/invite/accept"

    public enum Failure: Error, Sendable, Equatable {
        case invalidName
        case invalidEmail
        case nameTaken
        case unknownUser
        case mailFailed(MailFailure)
        /// Unknown, used or expired token.
        case invalidInvitation
        case missingPassword
        case passwordTooLong
        case store(APIStoreError)
    }

    public struct Invitation: Sendable, Equatable {
        public var name: String
        public var email: String
        public var groupName: String?
        public var note: String

        public init(name: String, email: String, groupName: String? = nil, note: String = "") {
            self.name = name
            self.email = email
            self.groupName = groupName
            self.note = note
        }
    }

    /// How the invitation reached (or is to reach) the invitee.
    public enum Delivery: Sendable, Equatable {
        case mailed
        /// No mailer: the administrator hands this link over.
        case link(String)
    }

    public let store: any InvitationStore & UserAdminStore
    /// nil = no SMTP_HOST: answer with the link.
    private let mailer: (any Mailer)?
    private let mailFrom: String
    private let audit: ConsoleAuditLog
    private let hasher: PasswordHasher
    private let blocking: BlockingWork
    private let clock: APIClock
    private let logger: Logger

    public init(
        store: any InvitationStore & UserAdminStore, mailer: (any Mailer)?, mailFrom: String, audit: ConsoleAuditLog,
        hasher: PasswordHasher, blocking: BlockingWork = .inline, clock: APIClock = .system, logger: Logger
    ) {
        self.store = store
        self.mailer = mailer
        self.mailFrom = mailFrom
        self.audit = audit
        self.hasher = hasher
        self.blocking = blocking
        self.clock = clock
        self.logger = logger
    }

    /// Creates the invited user and delivers the link `linkBase` + `acceptPath` + `?token=…`.
    public func invite(_ invitation: Invitation, linkBase: String, by caller: AdminCaller) async throws(Failure)
        -> Delivery
    {
        guard UserAdministration.isValidName(invitation.name) else { throw .invalidName }
        guard MailMessage.isAddress(invitation.email) else { throw .invalidEmail }
        let now = clock.now()
        let token: SessionToken
        do {
            token = try SessionToken.generate()
        } catch {
            throw .store(.unavailable(reason: "no randomness for an invitation: \(error)"))
        }
        let group = invitation.groupName.flatMap { $0.isEmpty ? nil : $0 }
        let user = try await storeCall(onNotFound: Failure.unknownUser) { () async throws(APIStoreError) in
            try await store.insertInvitedUser(
                NewUser(
                    name: invitation.name, email: invitation.email, passwordHash: "", groupName: group,
                    note: invitation.note),
                invitation: NewInvitation(
                    tokenDigest: token.digest, createdBy: caller.operatorName, expiresAt: now + Self.lifetimeSeconds),
                now: now)
        }
        let link = "\(linkBase)\(Self.acceptPath)?token=\(token.text)"
        let delivery: Delivery
        if let mailer {
            do throws(MailFailure) {
                try await mailer.send(message(to: user, link: link, expiresAt: now + Self.lifetimeSeconds, by: caller))
            } catch {
                // Undo: an invitation that never arrived must not leave an account behind.
                try? await store.deleteUser(guid: user.guid)
                logger.error(
                    "invitation mail not sent; user removed again",
                    metadata: ["user": "\(user.name)", "by": "\(caller)", "error": "\(error)"])
                throw .mailFailed(error)
            }
            delivery = .mailed
            logger.notice("user invited by mail", metadata: ["user": "\(user.name)", "by": "\(caller)"])
        } else {
            delivery = .link(link)
            // What the issue asks for without SMTP: the link (a secret) in the log once, for whoever hands it over.
            logger.info(
                "user invited; no SMTP_HOST, hand this invitation link to the user",
                metadata: ["user": "\(user.name)", "by": "\(caller)", "link": "\(link)"])
        }
        await audit.record(
            .addUser, by: caller,
            [
                "user": user.name, "group": group ?? "", "email": user.email,
                "invitation": delivery == .mailed ? "mailed" : "link",
            ])
        return delivery
    }

    /// The user a live invitation is for (the accept page greets them); nil when it is not live.
    public func invitedUser(token: String) async throws(Failure) -> User? {
        guard let digest = SessionToken.digest(of: token) else { return nil }
        do throws(APIStoreError) {
            return try await store.invitedUser(tokenDigest: digest, now: clock.now())
        } catch {
            throw .store(error)
        }
    }

    /// Spends the invitation: the user gets `password` and can log in.
    public func accept(token: String, password: String) async throws(Failure) -> User {
        guard !password.isEmpty else { throw .missingPassword }
        guard let digest = SessionToken.digest(of: token) else { throw .invalidInvitation }
        let hasher = hasher
        guard let hash = await blocking.run({ try? hasher.hash(password) }) else { throw .passwordTooLong }
        let accepted: User?
        do throws(APIStoreError) {
            accepted = try await store.acceptInvitation(tokenDigest: digest, passwordHash: hash, now: clock.now())
        } catch {
            throw .store(error)
        }
        guard let accepted else { throw .invalidInvitation }
        logger.notice("invitation accepted", metadata: ["user": "\(accepted.name)"])
        return accepted
    }

    private func message(to user: User, link: String, expiresAt: Int64, by caller: AdminCaller) -> MailMessage {
        MailMessage(
            from: mailFrom, to: user.email, subject: "Your RustDesk account",
            text: """
                Hello \(user.name),

                \(caller.operatorName) invited you to an account on a RustDesk server.
                Choose your password here (the link works once, until \(MailDate.readable(expiresAt))):

                \(link)

                Then log in from the RustDesk client with the account name "\(user.name)" and that password.
                """)
    }
}

extension UserInvitations.Failure: StoreBackedFailure {}
