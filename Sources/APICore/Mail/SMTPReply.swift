/// One SMTP reply (RFC 5321 §4.2): a three-digit code and its text lines; a multi-line reply has
/// `-` after the code on every line but the last.
public struct SMTPReply: Sendable, Equatable {
    public var code: Int
    public var lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    public var isPositive: Bool { (200..<400).contains(code) }
    public var text: String { lines.joined(separator: " ") }
}

/// Splits the server's bytes into lines and lines into replies, bounded: a line longer than
/// `maximumLineBytes` or a reply of more than `maximumLines` lines is a protocol error, so a hostile
/// or broken server cannot make us buffer without end. Pure; `SMTPMailer` feeds it what it reads.
public struct SMTPReplyReader: Sendable {
    /// RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; a little slack for sloppy servers.
    public static let maximumLineBytes = 1000
    public static let maximumLines = 100

    private var pending: [UInt8] = []
    private var lines: [String] = []
    private var code: Int?
    private var replies: [SMTPReply] = []

    public init() {}

    /// Takes bytes from the connection; returns the replies they completed, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(MailFailure) -> [SMTPReply] {
        for byte in bytes {
            if byte == 0x0A {
                if pending.last == 0x0D { pending.removeLast() }
                try take(line: pending)
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
                if pending.count > Self.maximumLineBytes { throw .protocolError("reply line too long") }
            }
        }
        defer { replies.removeAll() }
        return replies
    }

    private mutating func take(line: [UInt8]) throws(MailFailure) {
        guard line.count >= 3, line.prefix(3).allSatisfy({ (0x30...0x39).contains($0) }),
            line.count == 3 || line[3] == UInt8(ascii: " ") || line[3] == UInt8(ascii: "-")
        else { throw .protocolError("not a reply line") }
        let lineCode = line.prefix(3).reduce(0) { $0 * 10 + Int($1 - 0x30) }
        if let code, code != lineCode { throw .protocolError("reply code changed within a reply") }
        code = lineCode
        lines.append(String(decoding: line.dropFirst(4), as: UTF8.self))
        if lines.count > Self.maximumLines { throw .protocolError("reply has too many lines") }
        if line.count == 3 || line[3] == UInt8(ascii: " ") {
            replies.append(SMTPReply(code: lineCode, lines: lines))
            lines.removeAll()
            code = nil
        }
    }
}

/// DATA's payload (RFC 5321 §4.5.2): every line that starts with `.` gets a second one, bare LF and
/// CR become CRLF, and the end-of-data line `.` follows.
public enum SMTPDotStuffing {
    public static func payload(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + message.count / 64 + 5)
        var atLineStart = true
        var index = 0
        while index < message.count {
            let byte = message[index]
            if byte == 0x0D || byte == 0x0A {
                out += [0x0D, 0x0A]
                // CRLF is one line end, not two.
                if byte == 0x0D, index + 1 < message.count, message[index + 1] == 0x0A { index += 1 }
                atLineStart = true
            } else {
                if atLineStart && byte == UInt8(ascii: ".") { out.append(byte) }
                out.append(byte)
                atLineStart = false
            }
            index += 1
        }
        if !atLineStart { out += [0x0D, 0x0A] }
        return out + Array(".\r\n".utf8)
    }
}
