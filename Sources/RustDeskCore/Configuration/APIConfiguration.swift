/// The client API server's options (our addition to hbbs): where it listens, the first
/// administrator's password, how long a session lives and where recordings go.
public struct APIConfiguration: Sendable, Equatable {
    public static let validPorts = 0...65535
    public static let defaultSessionDays = 30
    public static let validSessionDays = 1...3650
    public static let defaultRecordingsDirectory = "./recordings"

    /// The TCP port, on BIND like the other listeners; nil = `off`. Port 0 lets the kernel choose (tests).
    public let port: Int?
    /// ADMIN_PASSWORD: used only when no administrator exists yet; nil = generate one and log it once.
    public let adminPassword: String?
    /// A session token expires this many days after its last use.
    public let sessionDays: Int
    public let recordingsDirectory: String
    /// MUST_LOGIN: hbbs connects only initiators whose request carries a live session token.
    public let mustLogin: Bool
    /// SMTP_*: where invitations are mailed; nil = they answer with their link instead.
    public let mail: MailConfiguration?
    /// API_PUBLIC_URL without a trailing `/`: the base of links handed out; nil = the request's Host.
    public let publicURL: String?

    public init(
        port: Int?, adminPassword: String? = nil, sessionDays: Int = defaultSessionDays,
        recordingsDirectory: String = defaultRecordingsDirectory, mustLogin: Bool = false,
        mail: MailConfiguration? = nil, publicURL: String? = nil
    ) {
        self.port = port
        self.adminPassword = adminPassword
        self.sessionDays = sessionDays
        self.recordingsDirectory = recordingsDirectory
        self.mustLogin = mustLogin
        self.mail = mail
        self.publicURL = publicURL
    }

    /// The API on PORT−2, where every client looks for it when only the ID server is configured.
    public static func derived(fromRendezvousPort port: Int) -> APIConfiguration {
        APIConfiguration(port: port - 2)
    }

    /// Validates the API options of a merged view; `rendezvousPort` gives the default port.
    public init(environment: ConfigurationEnvironment, rendezvousPort: Int) throws(ConfigurationError) {
        let value = { (option: ConfigurationOption) in environment.value(forOption: option.name) }
        let port = try Self.parsePort(value(.apiPort), default: rendezvousPort - 2)
        let mustLogin = ConfigurationFlag.isYes(value(.mustLogin))
        // Sessions live in the API: without it no initiator could ever be logged in.
        if mustLogin && port == nil {
            throw .invalidValue(option: .mustLogin, value: value(.mustLogin) ?? "", reason: .needsAPI)
        }
        self.init(
            port: port,
            adminPassword: value(.adminPassword).flatMap { $0.isEmpty ? nil : $0 },
            sessionDays: try Self.parseSessionDays(value(.apiSessionDays)),
            recordingsDirectory: value(.recordingsDirectory).flatMap { $0.isEmpty ? nil : $0 }
                ?? Self.defaultRecordingsDirectory,
            mustLogin: mustLogin, mail: try MailConfiguration.parse(environment),
            publicURL: try Self.parsePublicURL(value(.apiPublicURL)))
    }

    /// `http://` or `https://` and a host, no spaces; the trailing `/` dropped; empty = unset.
    private static func parsePublicURL(_ text: String?) throws(ConfigurationError) -> String? {
        guard let text else { return nil }
        var url = MailConfiguration.trimmed(text)
        if url.isEmpty { return nil }
        while url.hasSuffix("/") { url.removeLast() }
        let lower = url.lowercased()
        let scheme = lower.hasPrefix("https://") ? 8 : lower.hasPrefix("http://") ? 7 : 0
        guard scheme > 0, url.utf8.count > scheme, url.utf8.count <= 512,
            !url.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" })
        else {
            throw .invalidValue(option: .apiPublicURL, value: text, reason: .notAnHTTPURL)
        }
        return url
    }

    private static func parsePort(_ text: String?, default port: Int) throws(ConfigurationError) -> Int? {
        guard let text else { return port }
        let trimmed = text.filter { !$0.isWhitespace }
        if trimmed.lowercased() == "off" { return nil }
        guard let number = RustNumberParsing.int32(trimmed) else {
            throw .invalidValue(option: .apiPort, value: text, reason: .notANumber)
        }
        guard validPorts.contains(Int(number)) else {
            throw .invalidValue(option: .apiPort, value: text, reason: .outOfRange(validPorts))
        }
        return Int(number)
    }

    private static func parseSessionDays(_ text: String?) throws(ConfigurationError) -> Int {
        guard let text else { return defaultSessionDays }
        guard let days = RustNumberParsing.int32(text.filter { !$0.isWhitespace }) else {
            throw .invalidValue(option: .apiSessionDays, value: text, reason: .notANumber)
        }
        guard validSessionDays.contains(Int(days)) else {
            throw .invalidValue(option: .apiSessionDays, value: text, reason: .outOfRange(validSessionDays))
        }
        return Int(days)
    }
}
