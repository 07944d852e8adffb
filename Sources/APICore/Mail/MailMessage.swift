import RustDeskCore

/// One plain-text mail as hbbs sends it (invitations). `rendered` builds the RFC 5322 text; header
/// values with a line break are refused there, so no field a user or administrator typed can add a
/// header or a recipient.
public struct MailMessage: Sendable, Equatable {
    public var from: String
    public var to: String
    public var subject: String
    public var text: String

    public init(from: String, to: String, subject: String, text: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
    }

    /// The message with CRLF line ends, before SMTP's dot-stuffing. `date` is an RFC 5322 date,
    /// `messageID` the part inside `<…>`. A non-ASCII subject becomes an RFC 2047 encoded word, a
    /// non-ASCII body base64 (so no 8BITMIME is needed).
    public func rendered(date: String, messageID: String) throws(MailFailure) -> [UInt8] {
        for value in [from, to, subject, date, messageID] where value.contains(where: \.isNewline) {
            throw .headerInjection
        }
        guard MailMessage.isAddress(from), MailMessage.isAddress(to) else { throw .badAddress }
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        var lines = [
            "From: <\(from)>", "To: <\(to)>", "Subject: \(Self.encodedWord(subject))", "Date: \(date)",
            "Message-ID: <\(messageID)>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: \(ascii ? "7bit" : "base64")", "",
        ]
        if ascii {
            lines += text.split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
            }
        } else {
            let encoded = Base64.encode(Array(text.utf8))
            lines += stride(from: 0, to: encoded.count, by: 76).map { start in
                let end = encoded.index(encoded.startIndex, offsetBy: min(start + 76, encoded.count))
                return String(encoded[encoded.index(encoded.startIndex, offsetBy: start)..<end])
            }
        }
        return Array(lines.joined(separator: "\r\n").utf8) + [0x0D, 0x0A]
    }

    /// An address SMTP can carry in `<…>`: one `@`-address, no spaces, brackets or controls.
    public static func isAddress(_ text: String) -> Bool {
        guard (3...254).contains(text.utf8.count), let at = text.lastIndex(of: "@"),
            at != text.startIndex, text.index(after: at) != text.endIndex
        else { return false }
        return !text.unicodeScalars.contains {
            $0.value <= 0x20 || $0.value == 0x7F || "<>(),;:\\\"[]".unicodeScalars.contains($0)
        }
    }

    private static func encodedWord(_ text: String) -> String {
        guard !text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return text }
        return "=?UTF-8?B?\(Base64.encode(Array(text.utf8)))?="
    }
}

/// Why a mail was not sent; the text is for the log and for the administrator's error answer.
public enum MailFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// A header value (or an SMTP argument) contained a line break.
    case headerInjection
    case badAddress
    case connect(String)
    case timeout
    /// The server answered `code` where the step needed something else.
    case rejected(step: String, code: Int, text: String)
    /// The server's reply broke the protocol (too long, not a reply line).
    case protocolError(String)
    /// The server offers no AUTH mechanism we speak (PLAIN, LOGIN) though a user is configured.
    case noAuthMechanism

    public var description: String {
        switch self {
        case .headerInjection: "a header value contains a line break"
        case .badAddress: "not a mail address"
        case .connect(let reason): "cannot connect: \(reason)"
        case .timeout: "the SMTP server did not answer in time"
        case .rejected(let step, let code, let text): "\(step) refused: \(code) \(text)"
        case .protocolError(let reason): "SMTP protocol error: \(reason)"
        case .noAuthMechanism: "the SMTP server offers neither AUTH PLAIN nor AUTH LOGIN"
        }
    }
}

/// Sends a mail; `SMTPMailer` (ClientAPI) over the network, tests with their own.
public protocol Mailer: Sendable {
    func send(_ message: MailMessage) async throws(MailFailure)
}
