/// Where hbbs sends mail (invitations, users.py `invite`): an SMTP server reached in plain text, with
/// optional AUTH. No TLS: the package has no TLS library, so point it at a relay on the same host or a
/// trusted network (postfix, msmtpd, the provider's relay through a tunnel). Our addition to hbbs.
public struct MailConfiguration: Sendable, Equatable, CustomStringConvertible {
    public static let defaultPort = 25
    public static let validPorts = 1...65535

    public let host: String
    public let port: Int
    /// AUTH user and password; nil = no AUTH.
    public let user: String?
    /// Never logged; `description` leaves it out.
    public let password: String?
    /// The envelope sender and `From:` address.
    public let from: String

    public init(host: String, port: Int = defaultPort, user: String? = nil, password: String? = nil, from: String) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.from = from
    }

    /// Without the password, so interpolating the configuration into a log line cannot leak it.
    public var description: String {
        "smtp://\(user.map { "\($0)@" } ?? "")\(host):\(port) from \(from)"
    }

    /// SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM of a merged view; nil when SMTP_HOST is
    /// absent or empty (no mail: invitations answer with their link).
    public static func parse(_ environment: ConfigurationEnvironment) throws(ConfigurationError) -> MailConfiguration? {
        let value = { (option: ConfigurationOption) -> String? in
            environment.value(forOption: option.name).map(Self.trimmed).flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let host = value(.smtpHost) else { return nil }
        guard !host.contains(where: \.isWhitespace) else {
            throw .invalidValue(option: .smtpHost, value: host, reason: .notAHostName)
        }
        var port = defaultPort
        if let text = value(.smtpPort) {
            guard let number = RustNumberParsing.int32(text) else {
                throw .invalidValue(option: .smtpPort, value: text, reason: .notANumber)
            }
            guard validPorts.contains(Int(number)) else {
                throw .invalidValue(option: .smtpPort, value: text, reason: .outOfRange(validPorts))
            }
            port = Int(number)
        }
        guard let from = value(.smtpFrom) else {
            throw .invalidValue(option: .smtpFrom, value: "", reason: .requiredWith("SMTP_HOST"))
        }
        guard Self.isMailAddress(from) else {
            throw .invalidValue(option: .smtpFrom, value: from, reason: .notAMailAddress)
        }
        let password = environment.value(forOption: ConfigurationOption.smtpPassword.name).flatMap {
            $0.isEmpty ? nil : $0
        }
        return MailConfiguration(host: host, port: port, user: value(.smtpUser), password: password, from: from)
    }

    static func trimmed(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }

    /// `local@domain` without spaces, angle brackets or line breaks: what can go into `MAIL FROM:<…>`.
    public static func isMailAddress(_ text: String) -> Bool {
        guard text.utf8.count <= 254, let at = text.lastIndex(of: "@") else { return false }
        let forbidden: Set<Character> = ["<", ">", " ", "\t", "\r", "\n", ",", ";", "\0"]
        return at != text.startIndex && text.index(after: at) != text.endIndex
            && !text.contains { forbidden.contains($0) || ($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) }
    }
}

extension ConfigurationOption {
    /// Our addition: the SMTP server invitations are sent through; absent = no mail.
    public static let smtpHost = ConfigurationOption("SMTP_HOST")
    public static let smtpPort = ConfigurationOption("SMTP_PORT")
    public static let smtpUser = ConfigurationOption("SMTP_USER")
    /// Environment or `.env` only, like ADMIN_PASSWORD.
    public static let smtpPassword = ConfigurationOption("SMTP_PASSWORD")
    public static let smtpFrom = ConfigurationOption("SMTP_FROM")
    /// Our addition: the API's address as users reach it (`https://rustdesk.example.com`), the base of
    /// invitation links; absent = the request's Host.
    public static let apiPublicURL = ConfigurationOption("API_PUBLIC_URL")
}
